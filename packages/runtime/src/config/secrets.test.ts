import { Writable } from "node:stream";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { describeConfig } from "./describe.js";
import { createProcessorLogger } from "./logging.js";
import { parseProcessorArgs } from "./parse.js";
import { maskUriPassword } from "./Secret.js";

const SASL_PASSWORD = "sasl-pa55word-XYZ";
const MONGO_PASSWORD = "mongo-pa55word-QRS";

function secretConfig() {
  const outcome = parseProcessorArgs(
    [
      "--brokers",
      "broker.example.net:9092",
      "--mongo-uri",
      `mongodb+srv://gametel:${MONGO_PASSWORD}@cluster0.example.net/?retryWrites=true`,
      "--kafka-security-protocol",
      "SASL_SSL",
    ],
    { KAFKA_SASL_USERNAME: "api-key", KAFKA_SASL_PASSWORD: SASL_PASSWORD },
  );
  if (outcome.kind !== "config") throw new Error(JSON.stringify(outcome));
  return outcome.config;
}

function captureLogs(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("secrets", () => {
  it("never appear in the printed configuration", () => {
    const config = secretConfig();
    const printed = [
      JSON.stringify(config),
      JSON.stringify(describeConfig(config)),
      inspect(config, { depth: 10 }),
      String(config.kafka.sasl?.password),
    ];
    for (const text of printed) {
      expect(text).not.toContain(SASL_PASSWORD);
      expect(text).not.toContain(MONGO_PASSWORD);
    }
    expect(describeConfig(config)).toMatchObject({
      kafka: { sasl: { mechanism: "PLAIN", username: "api-key", password: "[redacted]" } },
      mongo: { uri: "mongodb+srv://gametel:***@cluster0.example.net/?retryWrites=true" },
    });
  });

  it("never appear in log lines, even when the configuration or a raw password is logged", () => {
    const config = secretConfig();
    const { stream, text } = captureLogs();
    const logger = createProcessorLogger({
      level: "info",
      destination: stream,
      bindings: { engine: "test" },
    });
    logger.info({ config }, "configuration");
    logger.info({ config: describeConfig(config) }, "configuration described");
    logger.info(
      { sasl: { password: SASL_PASSWORD }, kafka: { sasl: { password: SASL_PASSWORD } } },
      "mistake",
    );
    const out = text();
    expect(out.trim().split("\n")).toHaveLength(3);
    expect(out).not.toContain(SASL_PASSWORD);
    expect(out).not.toContain(MONGO_PASSWORD);
    expect(out).toContain("api-key");
    const first = JSON.parse(out.split("\n")[0]!) as { level: string; engine: string; msg: string };
    expect(first).toMatchObject({ level: "info", engine: "test", msg: "configuration" });
  });

  it("are revealed to the clients only on request", () => {
    const config = secretConfig();
    expect(config.kafka.sasl?.password.reveal()).toBe(SASL_PASSWORD);
    expect(config.mongo.uri.reveal()).toContain(MONGO_PASSWORD);
  });

  it.each([
    ["mongodb://user:pw@h1:27017,h2:27017/db?tls=true", "mongodb://user:***@h1:27017,h2:27017/db?tls=true"],
    ["mongodb+srv://user:p%40ss@cluster.net/", "mongodb+srv://user:***@cluster.net/"],
    ["mongodb://user@h/db", "mongodb://user@h/db"],
    ["mongodb://h:27017/db", "mongodb://h:27017/db"],
  ])("masks the password of %s", (uri, masked) => {
    expect(maskUriPassword(uri)).toBe(masked);
  });
});
