import { kafkaBrokers, uniqueName } from "@gametel/devstack";
import { parseProcessorArgs, partitionForKey, type Engine } from "@gametel/runtime";
import { Kafka, Partitioners, logLevel, type Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRdkafkaEngine } from "../src/RdkafkaEngine.js";

// A key lands on the same partition whichever client produced it: node-rdkafka (`murmur2_random`, through the
// engine) and kafkajs (`Partitioners.DefaultPartitioner`), and both equal Java's murmur2 (`partitionForKey`).
const PARTITIONS = 7;
const keys: string[] = [
  ...Array.from({ length: 150 }, (_, i) => `game-${i % 3}:player-${(i * 7919) % 100_003}`),
  "a",
  "ab",
  "abc",
  "joueur-é-🎮",
  "玩家-42",
  "x".repeat(300),
];

describe("murmur2 placement across clients", () => {
  const kafka = new Kafka({
    clientId: "gametel-partitioner-test",
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const topic = uniqueName("partitioner-keys");
  const input = uniqueName("partitioner-input");
  const groups = [uniqueName("partitioner-group"), uniqueName("partitioner-reader")];
  let admin: Admin;
  let engine: Engine;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
    const outcome = parseProcessorArgs(
      ["--brokers", kafkaBrokers().join(","), "--mongo-uri", "mongodb://localhost", "--input-topic", input],
      {},
    );
    if (outcome.kind !== "config") throw new Error(JSON.stringify(outcome));
    engine = createRdkafkaEngine({
      ...outcome.config,
      group: groups[0]!,
      topics: { ...outcome.config.topics, dlq: `${input}.dlq`, output: `${input}.out`, partitions: 1 },
    });
    await engine.start({
      onAssigned: async () => {},
      onRevoked: async () => {},
      onBatch: async () => {},
      onError: () => {},
    });
  });

  afterAll(async () => {
    await engine?.stop();
    await admin
      .deleteTopics({ topics: [topic, input, `${input}.dlq`, `${input}.out`] })
      .catch(() => undefined);
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect();
  });

  it("places every key on partitionForKey(key) from node-rdkafka and from kafkajs", async () => {
    await engine.produce(keys.map((key) => ({ topic, key, value: "rdkafka" })));
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: keys.map((key) => ({ key, value: "kafkajs" })) });
    await producer.disconnect();

    const placed = new Map<string, Map<string, number>>(); // producer -> key -> partition
    const consumer = kafka.consumer({ groupId: groups[1]! });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    const all = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const by = message.value!.toString();
          const perKey = placed.get(by) ?? new Map<string, number>();
          perKey.set(message.key!.toString(), partition);
          placed.set(by, perKey);
          if (++seen === keys.length * 2) resolve();
        },
      });
    });
    await all;
    await consumer.disconnect();

    const expected = new Map(keys.map((key) => [key, partitionForKey(key, PARTITIONS)]));
    expect(new Set(expected.values()).size).toBe(PARTITIONS);
    expect(placed.get("rdkafka")).toEqual(expected);
    expect(placed.get("kafkajs")).toEqual(expected);
  });
});
