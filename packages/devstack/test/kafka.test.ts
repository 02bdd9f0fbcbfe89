// A record through the real broker with both Kafka clients the project uses.
import { Kafka, logLevel } from "kafkajs";
import Rdkafka from "node-rdkafka";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kafkaBrokers, uniqueName } from "../src/index.mjs";

const kafka = new Kafka({ clientId: "devstack-smoke", brokers: kafkaBrokers(), logLevel: logLevel.ERROR });
const admin = kafka.admin();
const topics: string[] = [];

async function newTopic(prefix: string) {
  const topic = uniqueName(prefix);
  topics.push(topic);
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  return topic;
}

beforeAll(async () => {
  await admin.connect();
});

afterAll(async () => {
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
});

describe("kafka smoke", () => {
  test("kafkajs: produce one record and consume it back", async () => {
    const topic = await newTopic("smoke-kafkajs");
    const value = `hello ${uniqueName("v")}`;
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: "player-1", value }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName("smoke-kafkajs-group") });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string | undefined; value: string | undefined }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          resolve({ key: message.key?.toString(), value: message.value?.toString() });
        },
      });
    });
    await consumer.disconnect();
    expect(received).toEqual({ key: "player-1", value });
  });

  test("node-rdkafka: produce one record and consume it back", async () => {
    const topic = await newTopic("smoke-rdkafka");
    const brokerList = kafkaBrokers().join(",");
    const value = `hello ${uniqueName("v")}`;

    const producer = new Rdkafka.Producer({ "metadata.broker.list": brokerList, dr_cb: true });
    await new Promise<void>((resolve, reject) => {
      producer.once("ready", () => resolve());
      producer.once("connection.failure", reject);
      producer.connect();
    });
    const delivered = new Promise<Rdkafka.DeliveryReport>((resolve, reject) => {
      producer.once("delivery-report", (err, report) => (err ? reject(err) : resolve(report)));
    });
    producer.setPollInterval(50);
    producer.produce(topic, null, Buffer.from(value), "player-2");
    const report = await delivered;
    expect(report.topic).toBe(topic);
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));

    const consumer = new Rdkafka.KafkaConsumer(
      {
        "metadata.broker.list": brokerList,
        "group.id": uniqueName("smoke-rdkafka-group"),
        "enable.auto.commit": false,
      },
      { "auto.offset.reset": "earliest" },
    );
    await new Promise<void>((resolve, reject) => {
      consumer.once("ready", () => resolve());
      consumer.once("connection.failure", reject);
      consumer.connect();
    });
    consumer.subscribe([topic]);
    const message = await new Promise<Rdkafka.Message>((resolve, reject) => {
      const poll = () =>
        consumer.consume(1, (err, messages) => {
          if (err) return reject(err);
          const first = messages[0];
          if (first) resolve(first);
          else setTimeout(poll, 100);
        });
      poll();
    });
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    expect({
      key: message.key?.toString(),
      value: message.value?.toString(),
      offset: message.offset,
    }).toEqual({
      key: "player-2",
      value,
      offset: report.offset,
    });
  });
});
