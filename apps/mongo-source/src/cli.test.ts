import { describe, expect, test } from "vitest";
import { parseCli } from "./cli.js";

const argv = (...args: string[]) => ["node", "main.ts", ...args];

describe("parseCli", () => {
  test("defaults", () => {
    const { config, logLevel } = parseCli(argv(), {});
    expect(config.database).toBe("gametel");
    expect(config.exitWhenIdleMs).toBeNull();
    expect(logLevel).toBe("info");
  });

  test("--exit-when-idle takes an optional number of milliseconds", () => {
    expect(parseCli(argv("--exit-when-idle"), {}).config.exitWhenIdleMs).toBe(2000);
    expect(parseCli(argv("--exit-when-idle", "750"), {}).config.exitWhenIdleMs).toBe(750);
  });

  test("options and environment", () => {
    const { config } = parseCli(
      argv(
        "--db",
        "g2",
        "--collection",
        "events_raw",
        "--copy-existing",
        "--reset",
        "--max-events",
        "10",
        "--sasl-mechanism",
        "plain",
      ),
      {
        KAFKA_BROKERS: "k1:9092,k2:9092",
        KAFKA_SSL: "true",
        KAFKA_SASL_USERNAME: "u",
        KAFKA_SASL_PASSWORD: "p",
      },
    );
    expect(config).toMatchObject({
      database: "g2",
      collection: "events_raw",
      copyExisting: true,
      reset: true,
      maxEvents: 10,
    });
    expect(config.kafka).toEqual({
      brokers: ["k1:9092", "k2:9092"],
      clientId: "gametel-mongo-source",
      ssl: true,
      sasl: { mechanism: "plain", username: "u", password: "p" },
    });
  });

  test("--brokers wins over KAFKA_BROKERS", () => {
    expect(parseCli(argv("--brokers", "b:1"), { KAFKA_BROKERS: "a:1" }).config.kafka.brokers).toEqual([
      "b:1",
    ]);
  });
});
