import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toKafkajsConfig, toKafkajsConsumerConfig } from "../kafka/kafkajsConfig.js";
import { toLibrdkafkaConfig, toLibrdkafkaConsumerConfig } from "./librdkafka.js";
import { toMongoClientOptions } from "./mongo.js";
import { parseProcessorArgs } from "./parse.js";
import type { ProcessorConfig } from "./ProcessorConfig.js";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";
const caFile = (() => {
  const file = join(mkdtempSync(join(tmpdir(), "gametel-ca-")), "ca.pem");
  writeFileSync(file, PEM);
  return file;
})();
const BASE = [
  "--brokers",
  "b1:9092,b2:9092",
  "--mongo-uri",
  "mongodb://localhost:27017",
  "--client-id",
  "cid",
];
const CREDENTIALS = { KAFKA_SASL_USERNAME: "api-key", KAFKA_SASL_PASSWORD: "api-secret" };

function config(extra: readonly string[], env: Record<string, string> = {}): ProcessorConfig {
  const outcome = parseProcessorArgs([...BASE, ...extra], env);
  if (outcome.kind !== "config") throw new Error(JSON.stringify(outcome));
  return outcome.config;
}

describe("toKafkajsConfig", () => {
  it("PLAINTEXT: brokers and client id, no TLS, no SASL", () => {
    expect(toKafkajsConfig(config([]).kafka)).toEqual({
      clientId: "cid",
      brokers: ["b1:9092", "b2:9092"],
      ssl: false,
    });
  });

  it("SSL with a CA file: the CA's PEM text", () => {
    const c = toKafkajsConfig(config(["--kafka-security-protocol", "SSL", "--kafka-ssl-ca", caFile]).kafka);
    expect(c.ssl).toEqual({ ca: [PEM] });
    expect(c.sasl).toBeUndefined();
  });

  it("SASL_SSL with PLAIN (Confluent Cloud): TLS with the system CAs and plain SASL", () => {
    const c = toKafkajsConfig(config(["--kafka-security-protocol", "SASL_SSL"], CREDENTIALS).kafka);
    expect(c.ssl).toBe(true);
    expect(c.sasl).toEqual({ mechanism: "plain", username: "api-key", password: "api-secret" });
  });

  it.each([
    ["SCRAM-SHA-256", "scram-sha-256"],
    ["SCRAM-SHA-512", "scram-sha-512"],
  ])("SASL_PLAINTEXT with %s: no TLS, kafkajs mechanism %s", (mechanism, expected) => {
    const c = toKafkajsConfig(
      config(
        ["--kafka-security-protocol", "SASL_PLAINTEXT", "--kafka-sasl-mechanism", mechanism],
        CREDENTIALS,
      ).kafka,
    );
    expect(c.ssl).toBe(false);
    expect(c.sasl).toEqual({ mechanism: expected, username: "api-key", password: "api-secret" });
  });
});

describe("toLibrdkafkaConfig", () => {
  it("PLAINTEXT", () => {
    expect(toLibrdkafkaConfig(config([]).kafka)).toEqual({
      "metadata.broker.list": "b1:9092,b2:9092",
      "client.id": "cid",
      "security.protocol": "plaintext",
    });
  });

  it("SSL with a CA file: ssl.ca.location is the path", () => {
    expect(
      toLibrdkafkaConfig(config(["--kafka-security-protocol", "SSL", "--kafka-ssl-ca", caFile]).kafka),
    ).toEqual({
      "metadata.broker.list": "b1:9092,b2:9092",
      "client.id": "cid",
      "security.protocol": "ssl",
      "ssl.ca.location": caFile,
    });
  });

  it.each(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])("SASL_SSL with %s", (mechanism) => {
    expect(
      toLibrdkafkaConfig(
        config(["--kafka-security-protocol", "SASL_SSL", "--kafka-sasl-mechanism", mechanism], CREDENTIALS)
          .kafka,
      ),
    ).toEqual({
      "metadata.broker.list": "b1:9092,b2:9092",
      "client.id": "cid",
      "security.protocol": "sasl_ssl",
      "sasl.mechanisms": mechanism,
      "sasl.username": "api-key",
      "sasl.password": "api-secret",
    });
  });

  it("SASL_PLAINTEXT", () => {
    const p = toLibrdkafkaConfig(config(["--kafka-security-protocol", "SASL_PLAINTEXT"], CREDENTIALS).kafka);
    expect(p["security.protocol"]).toBe("sasl_plaintext");
    expect(p["sasl.mechanisms"]).toBe("PLAIN");
  });
});

describe("toKafkajsConsumerConfig", () => {
  it("defaults: 30 s session, heartbeats every 10 s, kafkajs' 60 s rebalance timeout", () => {
    expect(toKafkajsConsumerConfig(config(["--group", "g"]))).toEqual({
      groupId: "g",
      sessionTimeout: 30_000,
      heartbeatInterval: 10_000,
      rebalanceTimeout: 60_000,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
  });

  it.each<[string, number, number]>([
    ["6000", 2_000, 60_000],
    ["10000", 3_333, 60_000],
    ["120000", 40_000, 120_000],
  ])("--session-timeout-ms %s: heartbeat %d ms, rebalance timeout %d ms", (ms, heartbeat, rebalance) => {
    const c = toKafkajsConsumerConfig(config(["--session-timeout-ms", ms, "--max-wait-ms", "100"]));
    expect(c).toMatchObject({
      sessionTimeout: Number(ms),
      heartbeatInterval: heartbeat,
      rebalanceTimeout: rebalance,
      maxWaitTimeInMs: 100,
    });
  });

  it("takes the session timeout from GAMETEL_SESSION_TIMEOUT_MS", () => {
    const outcome = parseProcessorArgs(BASE, { GAMETEL_SESSION_TIMEOUT_MS: "9000" });
    if (outcome.kind !== "config") throw new Error(JSON.stringify(outcome));
    expect(toKafkajsConsumerConfig(outcome.config)).toMatchObject({
      sessionTimeout: 9_000,
      heartbeatInterval: 3_000,
    });
  });
});

describe("toLibrdkafkaConsumerConfig", () => {
  it("defaults: client properties, group, 30 s session, 10 s heartbeats, manual offset store and commit", () => {
    expect(toLibrdkafkaConsumerConfig(config(["--group", "g"]))).toEqual({
      "metadata.broker.list": "b1:9092,b2:9092",
      "client.id": "cid",
      "security.protocol": "plaintext",
      "group.id": "g",
      "session.timeout.ms": 30_000,
      "heartbeat.interval.ms": 10_000,
      "max.poll.interval.ms": 300_000,
      "enable.auto.commit": false,
      "enable.auto.offset.store": false,
    });
  });

  it.each<[string, number, number]>([
    ["6000", 2_000, 300_000],
    ["45000", 15_000, 300_000],
    // librdkafka refuses max.poll.interval.ms below session.timeout.ms.
    ["600000", 200_000, 600_000],
  ])("--session-timeout-ms %s: heartbeat %d ms, max poll interval %d ms", (ms, heartbeat, maxPoll) => {
    expect(toLibrdkafkaConsumerConfig(config(["--session-timeout-ms", ms]))).toMatchObject({
      "session.timeout.ms": Number(ms),
      "heartbeat.interval.ms": heartbeat,
      "max.poll.interval.ms": maxPoll,
    });
  });

  it("keeps the security settings of the client", () => {
    const p = toLibrdkafkaConsumerConfig(config(["--kafka-security-protocol", "SASL_SSL"], CREDENTIALS));
    expect(p).toMatchObject({ "security.protocol": "sasl_ssl", "sasl.password": "api-secret" });
  });
});

describe("toMongoClientOptions", () => {
  it("adds nothing by default (the URI decides; mongodb+srv implies TLS)", () => {
    expect(toMongoClientOptions(config([]).mongo)).toEqual({});
  });

  it("forces TLS and its CA file", () => {
    expect(toMongoClientOptions(config(["--mongo-tls"]).mongo)).toEqual({ tls: true });
    expect(toMongoClientOptions(config(["--mongo-tls-ca-file", caFile]).mongo)).toEqual({
      tls: true,
      tlsCAFile: caFile,
    });
  });
});
