import { Secret } from "@gametel/runtime";
import { describe, expect, test } from "vitest";
import { resolveSourceConfig, SourceConfigError, type SourceConfigInput } from "./SourceConfig.js";

describe("resolveSourceConfig", () => {
  test("defaults: gametel.telemetry to telemetry.events / telemetry.dlq on localhost", () => {
    const c = resolveSourceConfig();
    expect(c).toMatchObject({
      name: "telemetry",
      database: "gametel",
      collection: "telemetry",
      offsetsCollection: "_gametel_source_offsets",
      eventsTopic: "telemetry.events",
      deadLetterTopic: "telemetry.dlq",
      copyExisting: false,
      reset: false,
      exitWhenIdleMs: null,
      maxEvents: null,
    });
    expect(c.kafka.brokers).toEqual(["localhost:9092"]);
    expect(c.mongoUri.startsWith("mongodb://localhost:27017")).toBe(true);
  });

  test("environment endpoints are used when no option is given", () => {
    const c = resolveSourceConfig(
      {},
      { KAFKA_BROKERS: "a:1, b:2", MONGODB_URI: "mongodb+srv://cluster.example.net" },
    );
    expect(c.kafka.brokers).toEqual(["a:1", "b:2"]);
    expect(c.mongoUri).toBe("mongodb+srv://cluster.example.net");
  });

  test.each<[string, SourceConfigInput]>([
    ["a custom source", { name: "studio-eu", database: "game_db", collection: "raw.telemetry" }],
    [
      "SASL over TLS",
      {
        kafka: {
          securityProtocol: "SASL_SSL",
          sasl: { mechanism: "PLAIN", username: "key", password: new Secret("secret") },
        },
      },
    ],
    ["test limits", { exitWhenIdleMs: 500, maxEvents: 10, batchSize: 10_000 }],
  ])("accepts %s", (_what, input) => {
    expect(() => resolveSourceConfig(input)).not.toThrow();
  });

  test.each<[string, SourceConfigInput, RegExp]>([
    ["a non-mongodb URI", { mongoUri: "http://localhost:27017" }, /MongoDB URI/],
    ["an empty database", { database: "" }, /invalid database/],
    ["a database with a dot", { database: "a.b" }, /invalid database/],
    ["a collection with $", { collection: "tele$metry" }, /invalid collection/],
    ["offsets in the watched collection", { offsetsCollection: "telemetry" }, /must differ from the watched/],
    ["a broker without a port", { kafka: { brokers: ["localhost"] } }, /invalid Kafka brokers/],
    ["no brokers", { kafka: { brokers: [] } }, /invalid Kafka brokers/],
    ["a topic with a space", { eventsTopic: "telemetry events" }, /invalid events topic/],
    ["the same topic twice", { eventsTopic: "t", deadLetterTopic: "t" }, /must differ/],
    ["a zero batch", { batchSize: 0 }, /batch size must be a positive integer/],
    ["a huge batch", { batchSize: 20_000 }, /at most 10000/],
    ["a fractional checkpoint", { checkpointEvery: 1.5 }, /checkpoint every/],
    ["a negative idle exit", { exitWhenIdleMs: -1 }, /exit-when-idle/],
    ["a NaN idle exit", { exitWhenIdleMs: Number.NaN }, /exit-when-idle/],
    ["zero max events", { maxEvents: 0 }, /max events/],
    [
      "SASL without password",
      {
        kafka: {
          securityProtocol: "SASL_SSL",
          sasl: { mechanism: "PLAIN", username: "u", password: new Secret("") },
        },
      },
      /must both be non-empty/,
    ],
    [
      "SASL_SSL without credentials",
      { kafka: { securityProtocol: "SASL_SSL" } },
      /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set/,
    ],
    [
      "credentials without a SASL protocol",
      { kafka: { sasl: { mechanism: "PLAIN", username: "u", password: new Secret("p") } } },
      /use SASL_SSL or SASL_PLAINTEXT/,
    ],
    ["a CA file without TLS", { kafka: { sslCaFile: "/etc/ca.pem" } }, /--kafka-ssl-ca needs/],
  ])("refuses %s with one clear message", (_what, input, message) => {
    expect(() => resolveSourceConfig(input)).toThrow(SourceConfigError);
    expect(() => resolveSourceConfig(input)).toThrow(message);
  });
});
