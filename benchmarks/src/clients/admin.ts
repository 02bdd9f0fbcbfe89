import { Kafka, logLevel, type Admin } from "kafkajs";

/** A kafkajs admin client for the benchmark's own bookkeeping (topics, offsets); quiet logs. */
export async function connectAdmin(brokers: readonly string[]): Promise<Admin> {
  const kafka = new Kafka({ clientId: "gametel-bench", brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  return admin;
}

export async function createTopic(
  admin: Admin,
  topic: string,
  partitions: number,
  options: { compacted?: boolean } = {},
): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: partitions,
        replicationFactor: 1,
        configEntries: options.compacted === true ? [{ name: "cleanup.policy", value: "compact" }] : [],
      },
    ],
  });
}

/** Deletes the topics that exist among `topics` (prefix matches allowed with `prefixes`); errors are ignored. */
export async function deleteTopics(
  admin: Admin,
  topics: readonly string[],
  prefixes: readonly string[] = [],
): Promise<void> {
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = [...existing].filter((t) => topics.includes(t) || prefixes.some((p) => t.startsWith(p)));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed, timeout: 30_000 });
  } catch {
    // cleanup is best effort: a leftover topic costs disk, not correctness
  }
}

/** Next offset to be written, per partition. */
export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

/** The group's committed offsets for `topic` (absent partitions = nothing committed). */
export async function committedOffsets(
  admin: Admin,
  group: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  const out = new Map<number, bigint>();
  for (const p of entry?.partitions ?? []) if (Number(p.offset) >= 0) out.set(p.partition, BigInt(p.offset));
  return out;
}

/** Records consumed and committed = sum over partitions of min(committed, end). */
export function committedRecords(
  committed: ReadonlyMap<number, bigint>,
  ends: ReadonlyMap<number, bigint>,
): number {
  let n = 0n;
  for (const [p, end] of ends) {
    const c = committed.get(p) ?? 0n;
    n += c < end ? c : end;
  }
  return Number(n);
}

export const totalRecords = (ends: ReadonlyMap<number, bigint>): number =>
  Number([...ends.values()].reduce((a, b) => a + b, 0n));
