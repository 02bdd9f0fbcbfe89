import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { processMarker, repoRoot, resolveConfig } from "./config.mjs";

describe("resolveConfig", () => {
  test("defaults: the repo's .cache/devstack, ports 9092/9093/27017, nothing external", () => {
    const config = resolveConfig({});
    expect(config).toMatchObject({
      stateDir: join(repoRoot, ".cache", "devstack"),
      artifactsDir: join(repoRoot, ".cache", "devstack", "artifacts"),
      kafkaPort: 9092,
      kafkaControllerPort: 9093,
      mongoPort: 27017,
      mongoOplogMinutes: 10,
      kafkaBrokers: undefined,
      mongoUri: undefined,
    });
  });

  test("environment overrides; blank values count as unset", () => {
    const config = resolveConfig({
      GAMETEL_STACK_DIR: "/tmp/x",
      GAMETEL_KAFKA_PORT: "19092",
      GAMETEL_KAFKA_CONTROLLER_PORT: "19093",
      GAMETEL_MONGO_PORT: "27018",
      KAFKA_BROKERS: " broker:9092 ",
      MONGODB_URI: "",
    });
    expect(config).toMatchObject({
      stateDir: "/tmp/x",
      kafkaPort: 19092,
      kafkaControllerPort: 19093,
      mongoPort: 27018,
      kafkaBrokers: "broker:9092",
      mongoUri: undefined,
    });
  });

  test.each([["abc"], ["0"], ["65536"], ["90.5"]])("refuses GAMETEL_MONGO_PORT=%s with one line", (value) => {
    expect(() => resolveConfig({ GAMETEL_MONGO_PORT: value })).toThrow(
      `GAMETEL_MONGO_PORT=${value} is not a TCP port; set it to a number from 1 to 65535 or unset it.`,
    );
  });

  test.each([
    ["0", 0],
    ["60", 60],
  ])("GAMETEL_MONGO_OPLOG_MINUTES=%s", (value, expected) => {
    expect(resolveConfig({ GAMETEL_MONGO_OPLOG_MINUTES: value }).mongoOplogMinutes).toBe(expected);
  });

  test.each([["-1"], ["ten"], ["1.5"]])("refuses GAMETEL_MONGO_OPLOG_MINUTES=%s with one line", (value) => {
    expect(() => resolveConfig({ GAMETEL_MONGO_OPLOG_MINUTES: value })).toThrow(
      `GAMETEL_MONGO_OPLOG_MINUTES=${value} is not a number of minutes; set a whole number (0 keeps everything) or unset it.`,
    );
  });

  test("refuses the same port for broker and controller", () => {
    expect(() => resolveConfig({ GAMETEL_KAFKA_PORT: "9093" })).toThrow(/both 9093/);
  });

  test("the process marker tells state dirs apart", () => {
    const a = processMarker(resolveConfig({ GAMETEL_STACK_DIR: "/tmp/a" }), "kafka");
    const b = processMarker(resolveConfig({ GAMETEL_STACK_DIR: "/tmp/b" }), "kafka");
    expect(a).not.toBe(b);
    expect(a).toContain("kafka");
  });
});

describe("GAMETEL_KAFKA_SECURITY and the SCRAM user", () => {
  test("unset: undefined (the data's, else plaintext); the client user defaults to gametel", () => {
    expect(resolveConfig({})).toMatchObject({ kafkaSecurity: undefined, kafkaSaslUsername: "gametel" });
  });

  test.each([["sasl_ssl"], ["SASL_SSL"], [" plaintext "]])("accepts %s", (value) => {
    expect(resolveConfig({ GAMETEL_KAFKA_SECURITY: value }).kafkaSecurity).toBe(value.trim().toLowerCase());
  });

  test("refuses an unknown security in one line", () => {
    expect(() => resolveConfig({ GAMETEL_KAFKA_SECURITY: "ssl" })).toThrow(
      "GAMETEL_KAFKA_SECURITY=ssl is not a Kafka security; use plaintext or sasl_ssl.",
    );
  });

  test.each([["GAMETEL_KAFKA_SASL_USERNAME"], ["GAMETEL_KAFKA_SASL_PASSWORD"]])(
    "refuses %s with SCRAM or JAAS syntax in it, without echoing it",
    (name) => {
      expect(() => resolveConfig({ [name]: 'a,b]"c' })).toThrow(/may hold only letters/);
      expect(() => resolveConfig({ [name]: 'a,b]"c' })).not.toThrow(/a,b/);
    },
  );
});
