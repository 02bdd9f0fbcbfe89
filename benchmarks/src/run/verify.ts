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

/** The PlayerStats fields the Kafka Streams reference computes: all 14 of core's PlayerStats. */
export const KSTREAMS_FIELDS = [
  "kills",
  "deaths",
  "headshot_kills",
  "headshot_ratio",
  "kd_ratio",
  "matches",
  "avg_kills_per_match",
  "lives_completed",
  "avg_survival_ms",
  "shots",
  "hits",
  "damage_dealt",
  "first_seen",
  "last_seen",
] as const;

export const pickFields = (doc: ResultDoc): ResultDoc =>
  Object.fromEntries(KSTREAMS_FIELDS.map((f) => [f, doc[f] ?? null]));

/** The changelog topic of the reference's window store (Kafka Streams names it `<application id>-<store>-changelog`). */
export const kstreamsWindowsChangelog = (applicationId: string): string =>
  `${applicationId}-player-windows-changelog`;

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

/**
 * Compares the Kafka Streams reference with the recomputation, field by field: the output topic's last all-time
 * PlayerStats per player, and the last state of each 5-minute window in its window store's changelog (each state
 * carries its `stats`; windows holding only carried spawns are context, not results, as in the recomputation).
 */
export async function verifyKstreams(
  brokers: readonly string[],
  topic: string,
  expected: ExpectedResults,
  applicationId: string,
): Promise<Verification> {
  const got = await readLatestByKey(brokers, topic);
  const windowStates = await readLatestByKey(brokers, kstreamsWindowsChangelog(applicationId));
  const pick = (docs: Iterable<[string, ResultDoc]>) =>
    new Map([...docs].map(([id, doc]) => [id, pickFields(doc)]));
  const windows = [...windowStates]
    .map(([id, state]) => [id, (state["stats"] ?? {}) as ResultDoc] as [string, ResultDoc])
    .filter(([, stats]) => stats["first_seen"] !== null && stats["first_seen"] !== undefined);
  const empty = new Map<string, ResultDoc>();
  const diffs = compareResults(
    { players: pick(expected.players), windows: pick(expected.windows), matches: empty, servers: empty },
    { players: pick(got), windows: pick(windows), matches: empty, servers: empty },
    10,
  );
  return { verified: diffs.length === 0, diffs };
}
