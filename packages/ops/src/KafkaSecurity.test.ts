import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KafkaSecurityError, kafkajsSecurity } from "./KafkaSecurity.js";

const dir = mkdtempSync(join(tmpdir(), "kafka-security-"));
const ca = join(dir, "ca.pem");
writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
const credentials = { KAFKA_SASL_USERNAME: "gametel", KAFKA_SASL_PASSWORD: "pw-0123456789" };

describe("kafkajsSecurity: the processors' Kafka security options as kafkajs' ssl and sasl", () => {
  it.each([
    ["nothing: plaintext", {}, {}, { ssl: false }],
    ["SSL with the system's CAs", { securityProtocol: "SSL" }, {}, { ssl: true }],
    [
      "SSL with a CA file",
      { securityProtocol: "ssl", sslCa: ca },
      {},
      { ssl: { ca: [expect.stringContaining("BEGIN")] } },
    ],
    [
      "SASL_SSL SCRAM-SHA-512 from the environment",
      {},
      {
        KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
        KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
        KAFKA_SSL_CA: ca,
        ...credentials,
      },
      {
        ssl: { ca: [expect.stringContaining("BEGIN")] },
        sasl: { mechanism: "scram-sha-512", username: "gametel", password: "pw-0123456789" },
      },
    ],
    [
      "SASL_PLAINTEXT defaults to PLAIN",
      { securityProtocol: "SASL_PLAINTEXT" },
      credentials,
      { ssl: false, sasl: { mechanism: "plain", username: "gametel", password: "pw-0123456789" } },
    ],
    [
      "a flag wins over the environment",
      { securityProtocol: "PLAINTEXT" },
      { KAFKA_SECURITY_PROTOCOL: "SASL_SSL" },
      { ssl: false },
    ],
  ])("accepts %s", (_name, input, env, expected) => {
    expect(kafkajsSecurity(input, env)).toEqual(expected);
  });

  it.each([
    [
      "an unknown protocol",
      { securityProtocol: "TLS" },
      {},
      '--kafka-security-protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got "TLS"',
    ],
    [
      "an unknown mechanism",
      { securityProtocol: "SASL_SSL", saslMechanism: "GSSAPI" },
      credentials,
      "--kafka-sasl-mechanism must be one of",
    ],
    [
      "SASL without a password",
      { securityProtocol: "SASL_SSL" },
      { KAFKA_SASL_USERNAME: "u" },
      "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set for --kafka-security-protocol SASL_SSL",
    ],
    [
      "a mechanism without SASL",
      { saslMechanism: "PLAIN" },
      {},
      "--kafka-sasl-mechanism needs --kafka-security-protocol SASL_SSL or SASL_PLAINTEXT, not PLAINTEXT",
    ],
    [
      "a CA without TLS",
      { sslCa: ca },
      {},
      "--kafka-ssl-ca needs --kafka-security-protocol SSL or SASL_SSL, not PLAINTEXT",
    ],
    [
      "a CA file that is not there",
      { securityProtocol: "SSL", sslCa: join(dir, "missing.pem") },
      {},
      "cannot read it (ENOENT)",
    ],
  ])("refuses %s in one line, without the password", (_name, input, env, message) => {
    const error = (() => {
      try {
        kafkajsSecurity(input, env);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(KafkaSecurityError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain("\n");
    expect((error as Error).message).not.toContain("pw-0123456789");
  });
});
