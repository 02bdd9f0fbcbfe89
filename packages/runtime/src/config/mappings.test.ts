import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toKafkajsConfig } from "./kafkajs.js";
import { toLibrdkafkaConfig } from "./librdkafka.js";
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
