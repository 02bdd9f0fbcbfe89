import { describe, expect, test } from "vitest";
import { parseCli } from "./cli.js";
import { COLLECTOR_DEFAULTS, CollectorConfigError } from "./CollectorConfig.js";

const KEYS = JSON.stringify([{ game_id: "g", key_id: "k", secret: "0123456789abcdef0123456789abcdef" }]);
const argv = (...flags: string[]) => ["node", "gametel-collector", ...flags];

describe("command line", () => {
  test("defaults; keys from the environment; Kafka from KAFKA_BROKERS", () => {
    const { config, trustProxy } = parseCli(argv(), {
      GAMETEL_COLLECTOR_KEYS: KEYS,
      KAFKA_BROKERS: "a:1,b:2",
    });
    expect(config).toMatchObject({
      port: COLLECTOR_DEFAULTS.port,
      eventsTopic: "telemetry.events",
      deadLetterTopic: "telemetry.dlq",
      limits: COLLECTOR_DEFAULTS.limits,
      kafka: { brokers: ["a:1", "b:2"], securityProtocol: "PLAINTEXT", sasl: null },
    });
    expect(config.keys.size).toBe(1);
    expect(trustProxy).toBe(false);
  });

  test("flags win over the environment", () => {
    const { config } = parseCli(
      argv("--port", "0", "--brokers", "c:3", "--key-rate", "5", "--max-event-bytes", "1024"),
      {
        GAMETEL_COLLECTOR_KEYS: KEYS,
        PORT: "9000",
        KAFKA_BROKERS: "a:1",
      },
    );
    expect(config.port).toBe(0);
    expect(config.kafka.brokers).toEqual(["c:3"]);
    expect(config.rateLimits.perKey.ratePerSec).toBe(5);
    expect(config.limits.maxEventBytes).toBe(1024);
  });

  test.each([
    ["no keys", [], {}, /no keys/],
    ["a bad PORT", [], { PORT: "http" }, /PORT must be a port/],
    ["the same topic twice", ["--events-topic", "t", "--dlq-topic", "t"], {}, /must differ/],
    ["a bad CORS origin", ["--cors-origins", "game.example.com"], {}, /not an origin/],
    ["SASL without credentials", ["--kafka-security-protocol", "SASL_SSL"], {}, /KAFKA_SASL_USERNAME/],
    ["an event limit above the body limit", ["--max-event-bytes", "9999999"], {}, /cannot exceed/],
  ])("refuses %s in one line", (_name, flags, env, message) => {
    const keys = _name === "no keys" ? {} : { GAMETEL_COLLECTOR_KEYS: KEYS };
    expect(() => parseCli(argv(...flags), { ...keys, ...env })).toThrow(CollectorConfigError);
    expect(() => parseCli(argv(...flags), { ...keys, ...env })).toThrow(message);
  });
});
