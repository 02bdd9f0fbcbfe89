import { describe, expect, test } from "vitest";
import { parseCli } from "./cli.js";
import { SourceConfigError } from "./SourceConfig.js";

const argv = (...args: string[]) => ["node", "main.ts", ...args];

describe("parseCli", () => {
  test("defaults", () => {
    const { config, logLevel } = parseCli(argv(), {});
    expect(config.database).toBe("gametel");
    expect(config.exitWhenIdleMs).toBeNull();
    expect(config.kafka).toEqual({
      brokers: ["localhost:9092"],
      clientId: "gametel-mongo-source",
      securityProtocol: "PLAINTEXT",
      sasl: null,
      sslCaFile: null,
    });
    expect(logLevel).toBe("info");
  });

  test("the `--` that `pnpm start -- <flags>` passes through is ignored", () => {
    expect(parseCli(argv("--", "--db", "g3"), {}).config.database).toBe("g3");
  });

  test("the recovery flags: --copy-since (ISO time), its field and the resume-lost policy", () => {
    const defaults = parseCli(argv(), {}).config;
    expect(defaults.copySince).toBeNull();
    expect(defaults.copySinceField).toBe("event_time");
    expect(defaults.onResumeLost).toBe("fail");
    const { config } = parseCli(
      argv(
        "--reset",
        "--copy-since",
        "2026-12-07T23:00:00Z",
        "--copy-since-field",
        "_id",
        "--on-resume-lost",
        "recopy",
      ),
      {},
    );
    expect(config.copySince?.toISOString()).toBe("2026-12-07T23:00:00.000Z");
    expect(config.copySinceField).toBe("_id");
    expect(config.onResumeLost).toBe("recopy");
    expect(() => parseCli(argv("--copy-since", "2026-12-07T23:00:00Z", "--copy-existing"), {})).toThrow(
      /choose one/,
    );
  });

  test("--exit-when-idle takes an optional number of milliseconds", () => {
    expect(parseCli(argv("--exit-when-idle"), {}).config.exitWhenIdleMs).toBe(2000);
    expect(parseCli(argv("--exit-when-idle", "750"), {}).config.exitWhenIdleMs).toBe(750);
  });

  test("options and environment, Kafka security as the processors take it (Confluent Cloud style)", () => {
    const { config } = parseCli(
      argv("--db", "g2", "--collection", "events_raw", "--copy-existing", "--reset", "--max-events", "10"),
      {
        KAFKA_BROKERS: "k1:9092,k2:9092",
        KAFKA_SECURITY_PROTOCOL: "sasl_ssl",
        KAFKA_SASL_USERNAME: "api-key",
        KAFKA_SASL_PASSWORD: "api-secret",
      },
    );
    expect(config).toMatchObject({
      database: "g2",
      collection: "events_raw",
      copyExisting: true,
      reset: true,
      maxEvents: 10,
    });
    expect(config.kafka).toMatchObject({
      brokers: ["k1:9092", "k2:9092"],
      securityProtocol: "SASL_SSL",
      sasl: { mechanism: "PLAIN", username: "api-key" },
    });
    expect(config.kafka.sasl?.password.reveal()).toBe("api-secret");
    // The password never prints.
    expect(JSON.stringify(config)).not.toContain("api-secret");
  });

  test("a flag wins over the environment", () => {
    const { config } = parseCli(argv("--brokers", "b:1", "--kafka-sasl-mechanism", "scram-sha-512"), {
      KAFKA_BROKERS: "a:1",
      KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
      KAFKA_SASL_MECHANISM: "PLAIN",
      KAFKA_SASL_USERNAME: "u",
      KAFKA_SASL_PASSWORD: "p",
    });
    expect(config.kafka.brokers).toEqual(["b:1"]);
    expect(config.kafka.sasl?.mechanism).toBe("SCRAM-SHA-512");
  });

  test("an unknown security protocol is one clear error", () => {
    expect(() => parseCli(argv("--kafka-security-protocol", "TLS"), {})).toThrow(SourceConfigError);
    expect(() => parseCli(argv("--kafka-security-protocol", "TLS"), {})).toThrow(
      /--kafka-security-protocol must be one of PLAINTEXT\|SSL\|SASL_PLAINTEXT\|SASL_SSL/,
    );
  });
});

describe("parseCli: operations", () => {
  test("metrics port and connect timeout: defaults, environment, flags", () => {
    expect(parseCli(argv(), {})).toMatchObject({ metricsPort: 9465, connectTimeoutMs: 10_000 });
    expect(
      parseCli(argv(), { GAMETEL_SOURCE_METRICS_PORT: "0", GAMETEL_CONNECT_TIMEOUT_MS: "1500" }),
    ).toMatchObject({ metricsPort: 0, connectTimeoutMs: 1500 });
    expect(
      parseCli(argv("--metrics-port", "19465", "--connect-timeout-ms", "700"), {
        GAMETEL_SOURCE_METRICS_PORT: "1",
      }),
    ).toMatchObject({ metricsPort: 19465, connectTimeoutMs: 700 });
  });

  test("a bad port in the environment is a configuration error naming the variable", () => {
    expect(() => parseCli(argv(), { GAMETEL_SOURCE_METRICS_PORT: "http" })).toThrow(
      'GAMETEL_SOURCE_METRICS_PORT: expected a port from 0 to 65535, got "http"',
    );
  });
});
