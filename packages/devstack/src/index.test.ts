import { describe, expect, test } from "vitest";
import { kafkaBrokers, mongoUri, uniqueName } from "./index.mjs";

describe("endpoints", () => {
  test("local defaults", () => {
    expect(kafkaBrokers({})).toEqual(["localhost:9092"]);
    expect(mongoUri({})).toBe("mongodb://localhost:27017");
  });

  test("local ports follow GAMETEL_*_PORT", () => {
    expect(kafkaBrokers({ GAMETEL_KAFKA_PORT: "19092" })).toEqual(["localhost:19092"]);
    expect(mongoUri({ GAMETEL_MONGO_PORT: "27018" })).toBe("mongodb://localhost:27018");
  });

  test("KAFKA_BROKERS and MONGODB_URI win", () => {
    expect(kafkaBrokers({ KAFKA_BROKERS: "a:9092, b:9093,", GAMETEL_KAFKA_PORT: "1" })).toEqual([
      "a:9092",
      "b:9093",
    ]);
    expect(mongoUri({ MONGODB_URI: "mongodb+srv://u:p@cluster.example/db" })).toBe(
      "mongodb+srv://u:p@cluster.example/db",
    );
  });
});

describe("uniqueName", () => {
  test("is a valid topic and database name and differs between calls", () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueName("smoke")));
    expect(names.size).toBe(100);
    for (const name of names) {
      expect(name).toMatch(/^smoke-[a-z0-9]+-[0-9a-f]{8}$/);
      expect(name.length).toBeLessThan(64);
    }
  });
});
