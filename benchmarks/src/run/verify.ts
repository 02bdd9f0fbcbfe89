import {
  compareResults,
  readCounts,
  readResults,
  type ExpectedResults,
  type ResultDoc,
} from "@gametel/runtime/testing";
import type { MongoClient } from "mongodb";
import rdkafka from "node-rdkafka";
import type { Message } from "node-rdkafka";

export interface Verification {
  readonly verified: boolean;
  /** The first differences (empty when verified). */
  readonly diffs: readonly string[];
}

/** Compares what a processor wrote to MongoDB with the independent recomputation, and the exact event counts. */
export async function verifyMongo(
  client: MongoClient,
  db: string,
  expected: ExpectedResults,
): Promise<Verification> {
  const database = client.db(db);
  const diffs = compareResults(expected, await readResults(database), 10);
  const counts = await readCounts(database);
  if (counts.valid !== expected.counts.valid)
    diffs.push(`key_state counts ${counts.valid} distinct valid events, expected ${expected.counts.valid}`);
  if (counts.duplicates !== expected.counts.duplicates)
    diffs.push(`key_state counts ${counts.duplicates} duplicates, expected ${expected.counts.duplicates}`);
  return { verified: diffs.length === 0, diffs };
}

/** The PlayerStats fields the Kafka Streams reference computes. */
export const KSTREAMS_FIELDS = ["kills", "deaths", "kd_ratio", "matches", "avg_survival_ms"] as const;

export const pickFields = (doc: ResultDoc): ResultDoc =>
  Object.fromEntries(KSTREAMS_FIELDS.map((f) => [f, doc[f] ?? null]));

/** Reads a (compacted) topic to its end, read_committed, and keeps the last value per key. */
export async function readLatestByKey(
  brokers: readonly string[],
  topic: string,
): Promise<Map<string, ResultDoc>> {
  const consumer = new rdkafka.KafkaConsumer(
    {
      "metadata.broker.list": brokers.join(","),
      "group.id": `gametel-bench-verify-${process.pid}-${Date.now()}`,
      "enable.auto.commit": false,
      "enable.partition.eof": true,
      "isolation.level": "read_committed",
    },
    { "auto.offset.reset": "earliest" },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(new Error(err.message)) : resolve())),
  );
  try {
    const metadata = await new Promise<rdkafka.Metadata>((resolve, reject) =>
      consumer.getMetadata({ topic, timeout: 10_000 }, (err, data) =>
        err ? reject(new Error(err.message)) : resolve(data),
      ),
    );
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions.map((p) => p.id) ?? [];
    const atEnd = new Set<number>();
    consumer.on("partition.eof", (e) => atEnd.add(e.partition));
    consumer.assign(partitions.map((partition) => ({ topic, partition, offset: 0 })));
    consumer.setDefaultConsumeTimeout(200);
    const latest = new Map<string, ResultDoc>();
    const deadline = Date.now() + 120_000;
    while (atEnd.size < partitions.length) {
      if (Date.now() > deadline) throw new Error(`reading ${topic} to its end timed out`);
      const batch = await new Promise<Message[]>((resolve, reject) =>
        consumer.consume(10_000, (err, messages) =>
          err ? reject(new Error(err.message)) : resolve(messages),
        ),
      );
      for (const m of batch) {
        if (m.key == null) continue;
        const key = m.key.toString();
        if (m.value == null) latest.delete(key);
        else latest.set(key, JSON.parse(m.value.toString("utf8")) as ResultDoc);
      }
    }
    return latest;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

/** Compares the Kafka Streams output topic's last PlayerStats per player with the recomputation's fields. */
export async function verifyKstreams(
  brokers: readonly string[],
  topic: string,
  expected: ExpectedResults,
): Promise<Verification> {
  const got = await readLatestByKey(brokers, topic);
  const want = new Map([...expected.players].map(([id, doc]) => [id, pickFields(doc)]));
  const actual = new Map([...got].map(([id, doc]) => [id, pickFields(doc)]));
  const empty = new Map<string, ResultDoc>();
  const diffs = compareResults(
    { players: want, windows: empty, matches: empty, servers: empty },
    { players: actual, windows: empty, matches: empty, servers: empty },
    10,
  );
  return { verified: diffs.length === 0, diffs };
}
