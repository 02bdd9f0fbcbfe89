import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_START_TIME } from "@gametel/generator";
import { createCommand, parseCli } from "./cli.js";

const NOW = Date.UTC(2026, 10, 28, 12);
const quiet = () =>
  createCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
const parse = (...args: string[]) => parseCli(args, NOW, quiet());

describe("parseCli", () => {
  it("reads an NDJSON run with faults", () => {
    const config = parse(
      "--seed",
      "9",
      "--events",
      "100",
      "--out",
      "-",
      "--duplicates",
      "0.1",
      "--late",
      "0.05",
    );
    expect(config.target).toEqual({ kind: "ndjson", path: "-" });
    expect(config.generator).toMatchObject({
      seed: 9,
      maxRecords: 100,
      duplicates: 0.1,
      late: 0.05,
      startTime: DEFAULT_START_TIME,
      malformedFormat: "json",
    });
    expect(config.rate).toBe(0);
    expect(config.durationMs).toBeUndefined();
  });

  it("ignores the -- a script runner passes through", () => {
    expect(parseCli(["--", "--out", "x.ndjson"], NOW, quiet()).target).toEqual({
      kind: "ndjson",
      path: "x.ndjson",
    });
  });

  it("reads a Kafka target with batching and compression", () => {
    const config = parse(
      "--kafka",
      "telemetry.events",
      "--brokers",
      "a:9092, b:9092",
      "--batch-size",
      "100",
      "--linger-ms",
      "5",
      "--compression",
      "gzip",
    );
    expect(config.target).toEqual({
      kind: "kafka",
      topic: "telemetry.events",
      brokers: ["a:9092", "b:9092"],
      partitions: 12,
      batchSize: 100,
      lingerMs: 5,
      compression: "gzip",
      connection: { ssl: false },
    });
  });

  describe("Kafka security: the processors' options, credentials from the environment only", () => {
    afterEach(() => vi.unstubAllEnvs());
    // Any readable file stands in for the CA here: its text is handed to kafkajs as it is.
    const ca = fileURLToPath(import.meta.url);

    it("SASL_SSL with SCRAM-SHA-512 and a CA file", () => {
      vi.stubEnv("KAFKA_SASL_USERNAME", "gametel");
      vi.stubEnv("KAFKA_SASL_PASSWORD", "pw-0123456789");
      const { target } = parse(
        "--kafka",
        "t",
        "--kafka-security-protocol",
        "SASL_SSL",
        "--kafka-sasl-mechanism",
        "SCRAM-SHA-512",
        "--kafka-ssl-ca",
        ca,
      );
      expect(target).toMatchObject({
        kind: "kafka",
        connection: {
          ssl: { ca: [expect.stringContaining("SASL_SSL with SCRAM-SHA-512")] },
          sasl: { mechanism: "scram-sha-512", username: "gametel", password: "pw-0123456789" },
        },
      });
    });

    it("the environment variables, as for every gametel app", () => {
      vi.stubEnv("KAFKA_SECURITY_PROTOCOL", "SSL");
      vi.stubEnv("KAFKA_SSL_CA", ca);
      expect(parse("--kafka", "t").target).toMatchObject({
        connection: { ssl: { ca: [expect.any(String)] } },
      });
    });

    it("refuses SASL without credentials in one line that names the variables", () => {
      vi.stubEnv("KAFKA_SASL_USERNAME", "");
      vi.stubEnv("KAFKA_SASL_PASSWORD", "");
      expect(() => parse("--kafka", "t", "--kafka-security-protocol", "SASL_SSL")).toThrow(
        "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set for --kafka-security-protocol SASL_SSL",
      );
    });
  });

  it("makes malformed records MongoDB documents for the Mongo target", () => {
    const config = parse("--mongo", "--mongo-db", "test_db", "--malformed", "0.1");
    expect(config.target).toMatchObject({ kind: "mongo", db: "test_db" });
    expect(config.generator.malformedFormat).toBe("document");
  });

  it("starts live mode now and sizes it to the rate unless players or matches are given", () => {
    const live = parse("--out", "-", "--realtime", "--rate", "500");
    expect(live.generator.startTime).toBe(NOW);
    expect(live.sizeToRate).toBe(true);
    expect(parse("--out", "-", "--realtime", "--rate", "500", "--players", "50").sizeToRate).toBe(false);
    expect(parse("--out", "-", "--rate", "500").sizeToRate).toBe(false);
  });

  it("reads --start-time as ISO-8601 or epoch ms and --duration in seconds", () => {
    expect(parse("--out", "-", "--start-time", "2025-06-01T00:00:00Z").generator.startTime).toBe(
      Date.UTC(2025, 5, 1),
    );
    expect(parse("--out", "-", "--start-time", "1000").generator.startTime).toBe(1000);
    expect(parse("--out", "-", "--duration", "2.5").durationMs).toBe(2500);
  });

  it.each([
    [[], /choose exactly one target/],
    [["--out", "-", "--mongo"], /choose exactly one target/],
    [["--out", "-", "--events", "10", "--duration", "1"], /--duration or --events/],
    [["--out", "-", "--duplicates", "2"], /fraction between 0 and 1/],
    [["--out", "-", "--players", "1.5"], /integer >= 2/],
    [["--out", "-", "--start-time", "yesterday"], /ISO-8601/],
    [["--kafka", "t", "--compression", "brotli"], /Allowed choices/],
    [["--kafka", "t", "--compression", "zstd"], /kafkajs ships no zstd codec/],
  ])("refuses %j with one clear message", (args, message) => {
    expect(() => parse(...args)).toThrow(message);
  });
});
