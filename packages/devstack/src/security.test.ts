import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { resolveConfig } from "./config.mjs";
import {
  ensureCredentials,
  kafkaSecurity,
  saslSslProperties,
  scramFormatArgs,
  securityPaths,
  writeClientEnv,
} from "./security.mjs";

const stack = (env: NodeJS.ProcessEnv = {}) =>
  resolveConfig({ GAMETEL_STACK_DIR: mkdtempSync(join(tmpdir(), "devstack-security-")), ...env });

describe("the secured broker's files", () => {
  test("credentials: made once, kept, mode 0600; GAMETEL_KAFKA_SASL_PASSWORD is the client's password", () => {
    const config = stack({ GAMETEL_KAFKA_SASL_PASSWORD: "local-dev-password" });
    const made = ensureCredentials(config);
    expect(made).toMatchObject({ username: "gametel", password: "local-dev-password" });
    expect(made.brokerPassword).toMatch(/^[\w-]{32}$/);
    expect(ensureCredentials(config)).toEqual(made);
    expect(statSync(securityPaths(config).credentials).mode & 0o777).toBe(0o600);
  });

  test("SCRAM users for kafka-storage format: the client's and the broker's own", () => {
    const args = scramFormatArgs({ username: "u", password: "p", brokerPassword: "b", storePassword: "s" });
    expect(args).toEqual([
      "--add-scram",
      "SCRAM-SHA-512=[name=u,password=p]",
      "--add-scram",
      "SCRAM-SHA-512=[name=gametel-broker,password=b]",
    ]);
  });

  test("the listener: SASL_SSL on the client port, SCRAM-SHA-512, PKCS12 stores, no client certificates", () => {
    const config = stack({ GAMETEL_KAFKA_PORT: "19092", GAMETEL_KAFKA_CONTROLLER_PORT: "19093" });
    const text = saslSslProperties(
      config,
      { username: "u", password: "p", brokerPassword: "b", storePassword: "s" },
      19092,
    );
    expect(text).toContain("listeners=SASL_SSL://localhost:19092,CONTROLLER://localhost:19093\n");
    expect(text).toContain("listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL\n");
    expect(text).toContain("sasl.enabled.mechanisms=SCRAM-SHA-512\n");
    expect(text).toContain('username="gametel-broker" password="b";');
    expect(text).toContain(`ssl.keystore.location=${securityPaths(config).keystore}\n`);
    expect(text).not.toMatch(/password="p"|=p\n/);
  });

  test("client.env holds every setting (mode 0600); the printed lines all but the password", () => {
    const config = stack({ GAMETEL_KAFKA_PORT: "19092", GAMETEL_KAFKA_CONTROLLER_PORT: "19093" });
    const credentials = ensureCredentials(config);
    const printed = writeClientEnv(config, credentials).join("\n");
    const file = readFileSync(securityPaths(config).clientEnv, "utf8");
    expect(file).toContain(`KAFKA_SASL_PASSWORD='${credentials.password}'`);
    expect(file).toContain("KAFKA_BROKERS='localhost:19092'");
    expect(statSync(securityPaths(config).clientEnv).mode & 0o777).toBe(0o600);
    expect(printed).toContain("KAFKA_SECURITY_PROTOCOL=SASL_SSL");
    expect(printed).toContain(`KAFKA_SSL_CA=${securityPaths(config).caPem}`);
    expect(printed).not.toContain(credentials.password);
  });

  test("security: the setting, else what the data was formatted for, else plaintext; a switch on data is refused", () => {
    const fresh = stack();
    expect(kafkaSecurity(fresh)).toBe("plaintext");
    const secured = { ...fresh, kafkaSecurity: /** @type {const} */ "sasl_ssl" as const };
    expect(kafkaSecurity(secured)).toBe("sasl_ssl");
    mkdirSync(join(fresh.stateDir, "kafka", "data"), { recursive: true });
    writeFileSync(securityPaths(fresh).marker, "sasl_ssl\n");
    expect(kafkaSecurity(fresh)).toBe("sasl_ssl");
    expect(() => kafkaSecurity({ ...fresh, kafkaSecurity: "plaintext" })).toThrow(
      /was made for sasl_ssl, not plaintext; start it with --fresh/,
    );
  });
});
