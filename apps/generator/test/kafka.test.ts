import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeEvent, partitionKey } from "@gametel/core";
import { kafkaBrokers, uniqueName } from "@gametel/devstack";
import { kafkaCompression, recount } from "@gametel/generator/testing";
import kafkajs from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, summaryOf } from "./support/cli.js";
import { javaPartition } from "./support/murmur2.js";

const { Kafka, logLevel } = kafkajs;
// The consumer has to read snappy batches too: the generator's codec, registered with this process's kafkajs.
kafkaCompression("snappy");
const PARTITIONS = 4;

interface Consumed {
  readonly partition: number;
  readonly key: string;
  readonly value: string;
}

const consumeAll = async (topic: string, expected: number, timeoutMs = 60_000): Promise<Consumed[]> => {
  const kafka = new Kafka({
    clientId: "generator-test",
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: uniqueName("generator-test") });
  const records: Consumed[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${records.length}/${expected} records`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          records.push({
            partition,
            key: message.key?.toString() ?? "",
            value: message.value?.toString() ?? "",
          });
          if (records.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    // Anything beyond the expected count would show up now.
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    await consumer.disconnect();
  }
  return records;
};

describe("generator CLI to Kafka", () => {
  const topics: string[] = [];
  let dir: string | undefined;
  afterAll(async () => {
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it.each(["none", "gzip", "snappy"])(
    "lands every record in the topic (compression %s), keyed by partitionKey, on partition murmur2(key)",
    async (compression) => {
      const topic = uniqueName("gen-test");
      topics.push(topic);
      dir ??= await mkdtemp(join(tmpdir(), "gametel-generator-kafka-"));
      const summaryPath = join(dir, `${topic}.json`);
      const N = 4000;
      const run = await runCli([
        "--seed",
        "5",
        "--events",
        String(N),
        "--kafka",
        topic,
        "--brokers",
        kafkaBrokers().join(","),
        "--partitions",
        String(PARTITIONS),
        "--batch-size",
        "300",
        "--compression",
        compression,
        "--duplicates",
        "0.02",
        "--out-of-order",
        "0.02",
        "--late",
        "0.02",
        "--malformed",
        "0.02",
        "--window-ms",
        "30000",
        "--grace-ms",
        "5000",
        "--summary",
        summaryPath,
        "--progress",
        "off",
      ]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const summary = JSON.parse(await readFile(summaryPath, "utf8")) as Record<string, number>;

      const records = await consumeAll(topic, N);
      expect(records).toHaveLength(N);
      const misplaced = records.filter((r) => r.partition !== javaPartition(r.key, PARTITIONS));
      expect(misplaced).toEqual([]);
      const miskeyed = records.filter((r) => {
        const decoded = decodeEvent(r.value);
        return decoded.ok && partitionKey(decoded.event) !== r.key;
      });
      expect(miskeyed).toEqual([]);
      expect(new Set(records.map((r) => r.partition)).size).toBe(PARTITIONS);
      // Same key, same partition, in order: the fault counts survive the trip through Kafka.
      const byPartition = [...records].sort((a, b) => a.partition - b.partition).map((r) => r.value);
      expect(recount(byPartition, 30_000, 5000)).toEqual({
        valid_distinct: summary["valid_distinct"],
        duplicates: summary["duplicates"],
        out_of_order: summary["out_of_order"],
        late: summary["late"],
        malformed: summary["malformed"],
        total_records: N,
      });
    },
    120_000,
  );

  it("flushes the producer when stopped with SIGINT: every record it counted is in the topic", async () => {
    const topic = uniqueName("gen-test-sigint");
    topics.push(topic);
    const run = await runCli(
      [
        "--kafka",
        topic,
        "--brokers",
        kafkaBrokers().join(","),
        "--rate",
        "2000",
        "--linger-ms",
        "200",
        "--progress",
        "lines",
      ],
      { signalAfterStartMs: 2000 },
    );
    expect(run.code).toBe(0);
    const summary = summaryOf(run);
    expect(summary["stopped_by"]).toBe("signal");
    expect(summary.total_records).toBeGreaterThan(500);
    expect(await consumeAll(topic, summary.total_records)).toHaveLength(summary.total_records);
  }, 120_000);
});
