import { Kafka, Partitioners, logLevel } from "kafkajs";
import type { Admin, IHeaders } from "kafkajs";

/** One record to produce: the generator's `{ key, json }` maps to `{ key, value }`. */
export interface ScenarioRecord {
  readonly key: string | null;
  readonly value: string | Buffer;
  /** Explicit partition; by default the producer's murmur2 partitioner places the record by its key. */
  readonly partition?: number;
}

/** A record read back from a topic. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

const kafka = (brokers: readonly string[]) =>
  new Kafka({ clientId: "gametel-scenario", brokers: [...brokers], logLevel: logLevel.NOTHING });

async function withAdmin<T>(brokers: readonly string[], run: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.disconnect();
  }
}

export function createTopic(
  brokers: readonly string[],
  topic: string,
  partitions: number,
  config: Readonly<Record<string, string>> = {},
): Promise<void> {
  return withAdmin(brokers, async (admin) => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: -1,
          configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  });
}

export function deleteTopics(brokers: readonly string[], topics: readonly string[]): Promise<void> {
  return withAdmin(brokers, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
  });
}

/** Every topic of the cluster (internal ones aside) with its partitions' high watermarks, `"0:12,1:7"`. */
export function topicOffsets(brokers: readonly string[]): Promise<Record<string, string>> {
  return withAdmin(brokers, async (admin) => {
    const offsets: Record<string, string> = {};
    for (const topic of (await admin.listTopics()).filter((t) => !t.startsWith("__")).sort()) {
      offsets[topic] = (await admin.fetchTopicOffsets(topic))
        .sort((a, b) => a.partition - b.partition)
        .map((p) => `${p.partition}:${p.high}`)
        .join(",");
    }
    return offsets;
  });
}

const LARGE_RECORD_BYTES = 512 * 1024;

/**
 * Produces records in order with the Java-compatible murmur2 partitioner (kafkajs' default partitioner), idempotent
 * and one request in flight, so each key's records keep their order in its partition.
 */
export async function produceRecords(
  brokers: readonly string[],
  topic: string,
  records: readonly ScenarioRecord[],
  chunkSize = 2_000,
): Promise<void> {
  const producer = kafka(brokers).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const send = (chunk: readonly ScenarioRecord[]) =>
    producer.send({
      topic,
      acks: -1,
      messages: chunk.map((r) => ({
        key: r.key,
        value: r.value,
        ...(r.partition === undefined ? {} : { partition: r.partition }),
      })),
    });
  try {
    // A record of 512 KiB or more goes in a request of its own: a topic's max.message.bytes bounds a whole batch.
    let chunk: ScenarioRecord[] = [];
    for (const record of records) {
      const large = record.value.length >= LARGE_RECORD_BYTES;
      if (large || chunk.length >= chunkSize) {
        if (chunk.length > 0) await send(chunk);
        chunk = [];
      }
      if (large) await send([record]);
      else chunk.push(record);
    }
    if (chunk.length > 0) await send(chunk);
  } finally {
    await producer.disconnect();
  }
}

/** Sum over partitions of the group's committed offsets on a topic (0 for partitions without a commit). */
export function committedTotal(brokers: readonly string[], group: string, topic: string): Promise<bigint> {
  return withAdmin(brokers, async (admin) => {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return (offsets?.partitions ?? []).reduce(
      (sum, p) => sum + (BigInt(p.offset) < 0n ? 0n : BigInt(p.offset)),
      0n,
    );
  });
}

/** Every record of a topic up to its current high watermarks. */
export async function readTopic(
  brokers: readonly string[],
  topic: string,
  timeoutMs = 60_000,
): Promise<ReadRecord[]> {
  const client = kafka(brokers);
  const watermarks = await withAdmin(brokers, (admin) => admin.fetchTopicOffsets(topic));
  const remaining = new Map<number, bigint>();
  for (const w of watermarks) if (BigInt(w.high) > BigInt(w.low)) remaining.set(w.partition, BigInt(w.high));
  const out: ReadRecord[] = [];
  if (remaining.size === 0) return out;
  const consumer = client.consumer({ groupId: `gametel-scenario-reader-${process.pid}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic}: timed out`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: ({ partition, message }) => {
            const high = remaining.get(partition);
            const offset = BigInt(message.offset);
            if (high !== undefined && offset < high) {
              out.push({
                partition,
                offset,
                key: message.key,
                value: message.value,
                headers: textHeaders(message.headers),
              });
              if (offset + 1n >= high) remaining.delete(partition);
            }
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) out[name] = Buffer.isBuffer(last) ? last.toString("utf8") : String(last);
  }
  return out;
}
