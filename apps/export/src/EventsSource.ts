import { Kafka, logLevel, type KafkaConfig } from "kafkajs";

/** One Kafka record of the events topic. */
export interface EventRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  /** Record timestamp, epoch ms. */
  readonly timestamp: number;
  readonly value: Buffer | null;
}

export interface OffsetRange {
  readonly from: bigint;
  readonly to: bigint;
}

/** Where raw events come from: a topic's offsets and bounded reads of offset ranges. */
export interface EventsSource {
  /** Low and high watermark of every partition. */
  offsets(topic: string): Promise<{ partition: number; low: bigint; high: bigint }[]>;
  /** Every record with from <= offset < to of each partition, in offset order per partition. */
  read(
    topic: string,
    ranges: ReadonlyMap<number, OffsetRange>,
    onRecord: (record: EventRecord) => Promise<void>,
  ): Promise<void>;
  close(): Promise<void>;
}

/**
 * kafkajs reader: a consumer of a fresh group that seeks each partition to its start and stops when every
 * partition reached its end (failing when no record arrives for `stallTimeoutMs`, e.g. records deleted by
 * retention under the plan). Commits nothing; the exporter keeps the offsets in its own state.
 */
export function createKafkaEventsSource(config: KafkaConfig, stallTimeoutMs = 60_000): EventsSource {
  const kafka = new Kafka({ logLevel: logLevel.NOTHING, ...config });
  return {
    async offsets(topic) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        return offsets
          .map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) }))
          .sort((a, b) => a.partition - b.partition);
      } finally {
        await admin.disconnect();
      }
    },
    async read(topic, ranges, onRecord) {
      const open = new Map([...ranges].filter(([, r]) => r.to > r.from));
      if (open.size === 0) return;
      const consumer = kafka.consumer({ groupId: `gametel-export-${process.pid}-${Date.now()}` });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        let failed: unknown = null;
        const done = new Promise<void>((resolve, reject) => {
          // A stall limit, not a total one: a long range may take long, but it must keep moving.
          let lastProgress = Date.now();
          const timer = setInterval(() => {
            if (Date.now() - lastProgress <= stallTimeoutMs) return;
            clearInterval(timer);
            reject(
              new Error(
                `reading ${topic}: no record for ${stallTimeoutMs} ms before the planned end offsets`,
              ),
            );
          }, 1000);
          void consumer.run({
            autoCommit: false,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch, resolveOffset }) => {
              lastProgress = Date.now();
              const range = open.get(batch.partition);
              if (range === undefined || failed !== null) return;
              for (const m of batch.messages) {
                const offset = BigInt(m.offset);
                if (offset < range.from) continue;
                if (offset >= range.to) break;
                try {
                  await onRecord({
                    partition: batch.partition,
                    offset,
                    key: m.key === null ? null : m.key.toString("utf8"),
                    timestamp: Number(m.timestamp),
                    value: m.value,
                  });
                } catch (error) {
                  failed = error;
                  clearInterval(timer);
                  reject(error as Error);
                  return;
                }
                resolveOffset(m.offset);
                if (offset + 1n >= range.to) open.delete(batch.partition);
              }
              if (open.size === 0) {
                clearInterval(timer);
                resolve();
              }
            },
          });
          for (const [partition, range] of open)
            consumer.seek({ topic, partition, offset: range.from.toString() });
        });
        await done;
      } finally {
        await consumer.disconnect();
      }
    },
    close: () => Promise.resolve(),
  };
}
