import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OPTIONS, SECRET_ENV } from "./options.js";
import { parseProcessorArgs, processorHelp } from "./parse.js";
import type { ProcessorConfig } from "./ProcessorConfig.js";

const BASE = ["--brokers", "localhost:9092", "--mongo-uri", "mongodb://localhost:27017"];
const caFile = (() => {
  const dir = mkdtempSync(join(tmpdir(), "gametel-config-"));
  const file = join(dir, "ca.pem");
  writeFileSync(file, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  return file;
})();

function config(argv: readonly string[], env: Record<string, string> = {}): ProcessorConfig {
  const outcome = parseProcessorArgs(argv, env);
  if (outcome.kind !== "config") throw new Error(`expected a config, got ${JSON.stringify(outcome)}`);
  return outcome.config;
}

function error(argv: readonly string[], env: Record<string, string> = {}): string {
  const outcome = parseProcessorArgs(argv, env);
  if (outcome.kind !== "error") throw new Error(`expected an error, got ${outcome.kind}`);
  return outcome.message;
}

describe("parseProcessorArgs", () => {
  it("fills in the documented defaults", () => {
    const c = config(BASE);
    expect(c.kafka).toEqual({
      brokers: ["localhost:9092"],
      clientId: "gametel-processor",
      securityProtocol: "PLAINTEXT",
      sasl: null,
      sslCaFile: null,
    });
    expect(c.mongo.uri.reveal()).toBe("mongodb://localhost:27017");
    expect(c.mongo).toMatchObject({ db: "gametel", tls: false, tlsCaFile: null });
    expect(c.topics).toEqual({
      input: "telemetry.events",
      dlq: "telemetry.dlq",
      late: null,
      output: "player.stats",
      partitions: 12,
    });
    expect(c).toMatchObject({
      group: "gametel-processor",
      sessionTimeoutMs: 30_000,
      brokerPatienceMs: 300_000,
      batchSize: 1000,
      maxWaitMs: 500,
      cacheSize: 100_000,
      commitIntervalMs: 1_000,
      commitMaxRecords: 50_000,
      commitMaxBytes: 33_554_432,
      windowSizeMs: 300_000,
      graceMs: 60_000,
      maxEventBytes: 65_536,
      maxFutureMs: 3_600_000,
      minEventTimeMs: Date.UTC(2000, 0, 1),
      deadLetterMaxBytes: 262_144,
      metricsPort: 9464,
      connectTimeoutMs: 10_000,
      exitWhenCaughtUp: false,
      logLevel: "info",
    });
  });

  it("reads every option from its environment variable", () => {
    const c = config([], {
      KAFKA_BROKERS: "b1:9092, b2:9093",
      MONGODB_URI: "mongodb+srv://u:p@cluster.example.net/?retryWrites=true",
      MONGODB_DB: "stats",
      GAMETEL_GROUP: "g1",
      GAMETEL_SESSION_TIMEOUT_MS: "6000",
      GAMETEL_BROKER_PATIENCE_MS: "45000",
      GAMETEL_INPUT_TOPIC: "in",
      GAMETEL_DLQ_TOPIC: "dlq",
      GAMETEL_LATE: "true",
      GAMETEL_LATE_TOPIC: "late",
      GAMETEL_OUTPUT_TOPIC: "out",
      GAMETEL_PARTITIONS: "3",
      GAMETEL_BATCH_SIZE: "50",
      GAMETEL_MAX_WAIT_MS: "20",
      GAMETEL_CACHE_SIZE: "10",
      GAMETEL_COMMIT_INTERVAL_MS: "250",
      GAMETEL_COMMIT_MAX_RECORDS: "700",
      GAMETEL_COMMIT_MAX_BYTES: "65536",
      GAMETEL_WINDOW_MS: "60000",
      GAMETEL_GRACE_MS: "0",
      GAMETEL_MAX_EVENT_BYTES: "1024",
      GAMETEL_MAX_FUTURE_MS: "60000",
      GAMETEL_MIN_EVENT_TIME: "2024-06-01T12:00:00+02:00",
      GAMETEL_DEAD_LETTER_MAX_BYTES: "8192",
      GAMETEL_METRICS_PORT: "0",
      GAMETEL_CONNECT_TIMEOUT_MS: "2500",
      GAMETEL_EXIT_WHEN_CAUGHT_UP: "1",
      GAMETEL_LOG_LEVEL: "DEBUG",
      KAFKA_CLIENT_ID: "cid",
    });
    expect(c.kafka.brokers).toEqual(["b1:9092", "b2:9093"]);
    expect(c.kafka.clientId).toBe("cid");
    expect(c.mongo.db).toBe("stats");
    expect(c.topics).toEqual({ input: "in", dlq: "dlq", late: "late", output: "out", partitions: 3 });
    expect(c).toMatchObject({
      group: "g1",
      sessionTimeoutMs: 6_000,
      brokerPatienceMs: 45_000,
      batchSize: 50,
      maxWaitMs: 20,
      cacheSize: 10,
      commitIntervalMs: 250,
      commitMaxRecords: 700,
      commitMaxBytes: 65_536,
      windowSizeMs: 60_000,
      graceMs: 0,
      maxEventBytes: 1024,
      maxFutureMs: 60_000,
      minEventTimeMs: Date.UTC(2024, 5, 1, 10),
      deadLetterMaxBytes: 8192,
      metricsPort: 0,
      connectTimeoutMs: 2500,
      exitWhenCaughtUp: true,
      logLevel: "debug",
    });
  });

  it("prefers a flag over the environment", () => {
    const c = config([...BASE, "--batch-size", "7", "--group", "flag"], {
      GAMETEL_BATCH_SIZE: "9",
      GAMETEL_GROUP: "env",
    });
    expect(c.batchSize).toBe(7);
    expect(c.group).toBe("flag");
  });

  it("ignores the `--` that `pnpm start -- ...` passes through", () => {
    expect(config(["--", ...BASE, "--group", "g"]).group).toBe("g");
  });

  it("maps SASL_SSL with SCRAM and a CA file", () => {
    const c = config(
      [
        ...BASE,
        "--kafka-security-protocol",
        "sasl_ssl",
        "--kafka-sasl-mechanism",
        "SCRAM-SHA-512",
        "--kafka-ssl-ca",
        caFile,
      ],
      { [SECRET_ENV.saslUsername]: "key", [SECRET_ENV.saslPassword]: "s3cr3t-value" },
    );
    expect(c.kafka.securityProtocol).toBe("SASL_SSL");
    expect(c.kafka.sslCaFile).toBe(caFile);
    expect(c.kafka.sasl?.mechanism).toBe("SCRAM-SHA-512");
    expect(c.kafka.sasl?.username).toBe("key");
    expect(c.kafka.sasl?.password.reveal()).toBe("s3cr3t-value");
  });

  it("defaults the SASL mechanism to PLAIN", () => {
    const c = config([...BASE, "--kafka-security-protocol", "SASL_PLAINTEXT"], {
      [SECRET_ENV.saslUsername]: "u",
      [SECRET_ENV.saslPassword]: "p",
    });
    expect(c.kafka.sasl?.mechanism).toBe("PLAIN");
  });

  it("turns TLS on for MongoDB when a CA file is given", () => {
    const c = config([...BASE, "--mongo-tls-ca-file", caFile]);
    expect(c.mongo).toMatchObject({ tls: true, tlsCaFile: caFile });
    expect(config([...BASE, "--mongo-tls"]).mongo.tls).toBe(true);
  });

  it.each<[string, readonly string[], Record<string, string>, string]>([
    ["missing brokers", ["--mongo-uri", "mongodb://h"], {}, "--brokers is required (or set KAFKA_BROKERS)"],
    ["missing mongo uri", ["--brokers", "h:1"], {}, "--mongo-uri is required (or set MONGODB_URI)"],
    [
      "a broker without port",
      ["--brokers", "localhost", "--mongo-uri", "mongodb://h"],
      {},
      'must list host:port entries, got "localhost"',
    ],
    [
      "a non-mongodb uri",
      ["--brokers", "h:1", "--mongo-uri", "http://h"],
      {},
      "--mongo-uri must start with mongodb://",
    ],
    [
      "a non-numeric batch size",
      [...BASE, "--batch-size", "ten"],
      {},
      '--batch-size must be an integer from 1 to 1000000, got "ten"',
    ],
    [
      "a zero batch size from env",
      BASE,
      { GAMETEL_BATCH_SIZE: "0" },
      "--batch-size (from GAMETEL_BATCH_SIZE) must be an integer",
    ],
    [
      "a session timeout below the brokers' minimum",
      [...BASE, "--session-timeout-ms", "5999"],
      {},
      '--session-timeout-ms must be an integer from 6000 to 1800000, got "5999"',
    ],
    [
      "a session timeout above the brokers' maximum",
      BASE,
      { GAMETEL_SESSION_TIMEOUT_MS: "1800001" },
      "--session-timeout-ms (from GAMETEL_SESSION_TIMEOUT_MS) must be an integer from 6000 to 1800000",
    ],
    [
      "a broker patience under a second",
      BASE,
      { GAMETEL_BROKER_PATIENCE_MS: "999" },
      '--broker-patience-ms (from GAMETEL_BROKER_PATIENCE_MS) must be an integer from 1000 to 86400000, got "999"',
    ],
    [
      "a fetch wait not shorter than the heartbeat interval",
      [...BASE, "--session-timeout-ms", "6000", "--max-wait-ms", "2000"],
      {},
      "--max-wait-ms (2000) must be less than the heartbeat interval, a third of --session-timeout-ms (2000)",
    ],
    ["a fractional wait", [...BASE, "--max-wait-ms", "1.5"], {}, "--max-wait-ms must be an integer"],
    [
      "an event-time floor without a zone",
      [...BASE, "--min-event-time", "2020-01-01T00:00:00"],
      {},
      '--min-event-time must be an ISO 8601 UTC date or date-time such as 2000-01-01T00:00:00Z, got "2020-01-01T00:00:00"',
    ],
    [
      "a dead-letter bound below 4 KiB",
      [...BASE, "--dead-letter-max-bytes", "100"],
      {},
      "--dead-letter-max-bytes must be an integer from 4096 to 67108864",
    ],
    [
      "a port out of range",
      [...BASE, "--metrics-port", "70000"],
      {},
      "--metrics-port must be an integer from 0 to 65535",
    ],
    [
      "an unknown log level",
      [...BASE, "--log-level", "loud"],
      {},
      "--log-level must be one of trace, debug, info",
    ],
    [
      "an unknown protocol",
      [...BASE, "--kafka-security-protocol", "TLS"],
      {},
      "--kafka-security-protocol must be one of PLAINTEXT, SSL",
    ],
    [
      "an unknown mechanism",
      [...BASE, "--kafka-security-protocol", "SASL_SSL", "--kafka-sasl-mechanism", "GSSAPI"],
      { KAFKA_SASL_USERNAME: "u", KAFKA_SASL_PASSWORD: "p" },
      "--kafka-sasl-mechanism must be one of PLAIN",
    ],
    [
      "SASL without credentials",
      [...BASE, "--kafka-security-protocol", "SASL_SSL"],
      {},
      "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set",
    ],
    [
      "credentials without SASL",
      BASE,
      { KAFKA_SASL_USERNAME: "u", KAFKA_SASL_PASSWORD: "p" },
      "are set but --kafka-security-protocol is PLAINTEXT",
    ],
    [
      "a mechanism without SASL",
      [...BASE, "--kafka-sasl-mechanism", "PLAIN"],
      {},
      "--kafka-sasl-mechanism needs --kafka-security-protocol SASL_SSL",
    ],
    [
      "a CA without TLS",
      [...BASE, "--kafka-ssl-ca", caFile],
      {},
      "--kafka-ssl-ca needs --kafka-security-protocol SSL or SASL_SSL",
    ],
    [
      "an unreadable CA file",
      [...BASE, "--kafka-security-protocol", "SSL", "--kafka-ssl-ca", "/nonexistent/ca.pem"],
      {},
      "names a file that cannot be read: /nonexistent/ca.pem",
    ],
    [
      "an unreadable Mongo CA file",
      [...BASE, "--mongo-tls-ca-file", "/nonexistent/ca.pem"],
      {},
      "--mongo-tls-ca-file names a file that cannot be read",
    ],
    [
      "an invalid topic",
      [...BASE, "--input-topic", "a/b"],
      {},
      '--input-topic is not a valid Kafka topic name: "a/b"',
    ],
    ["clashing topics", [...BASE, "--dlq-topic", "telemetry.events"], {}, "topics must differ"],
    [
      "an invalid database",
      [...BASE, "--mongo-db", "a.b"],
      {},
      '--mongo-db is not a valid database name: "a.b"',
    ],
    [
      "a bad boolean in env",
      BASE,
      { GAMETEL_EXIT_WHEN_CAUGHT_UP: "maybe" },
      '--exit-when-caught-up (from GAMETEL_EXIT_WHEN_CAUGHT_UP) must be true or false, got "maybe"',
    ],
    ["an unknown flag", [...BASE, "--bogus"], {}, "unknown option '--bogus'"],
    ["a flag without its value", [...BASE, "--group"], {}, "option '--group <id>' argument missing"],
    ["a stray argument", [...BASE, "extra"], {}, "too many arguments"],
  ])("refuses %s with one line", (_name, argv, env, expected) => {
    const message = error(argv, env);
    expect(message).toContain(expected);
    expect(message).not.toContain("\n");
  });

  it("prints help listing every flag and its environment variable", () => {
    const outcome = parseProcessorArgs(["--help"], {}, "gametel-processor-kafkajs");
    expect(outcome.kind).toBe("help");
    const text = outcome.kind === "help" ? outcome.text : "";
    for (const spec of OPTIONS) {
      expect(text).toContain(spec.flags);
      expect(text).toContain(`[${spec.env}]`);
    }
    expect(text).toContain(SECRET_ENV.saslPassword);
    expect(text).toContain("Usage: gametel-processor-kafkajs [options]");
  });

  it("prints help even when required options are missing, the same for both engines but the name", () => {
    const kafkajs = parseProcessorArgs(["--", "-h"], {}, "gametel-processor-kafkajs");
    expect(kafkajs).toEqual({ kind: "help", text: processorHelp("gametel-processor-kafkajs") });
    expect(processorHelp("gametel-processor-rdkafka").replaceAll("rdkafka", "kafkajs")).toBe(
      processorHelp("gametel-processor-kafkajs"),
    );
  });
});
