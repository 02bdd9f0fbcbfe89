import { Kafka, type Admin } from "kafkajs";
import { toKafkajsConfig } from "./kafkajsConfig.js";
import type { KafkaSettings } from "../config/ProcessorConfig.js";
import type { Logger } from "../ops/Logger.js";
import { topicPartitionKey, type TopicPartition } from "../engine/Engine.js";
import { groupCaughtUp, partitionLag, type Watermarks } from "../engine/lag.js";

/** How long `disconnect()` waits for a read in flight, then for the admin client to disconnect. */
const READ_DRAIN_MS = 5_000;
const DISCONNECT_MS = 10_000;

const ignore = (): void => undefined;

/** Waits for `work`, or for `ms` if it takes longer (the timer does not hold the process open). */
const within = async (ms: number, work: Promise<void>): Promise<void> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** The input topic's watermarks and the group's committed offsets at one moment ("topic:partition" keys). */
export interface OffsetsSnapshot {
  readonly partitions: readonly TopicPartition[];
  readonly watermarks: ReadonlyMap<string, Watermarks>;
  /** Partitions without a commit are absent. */
  readonly committed: ReadonlyMap<string, bigint>;
}

/**
 * Reads the input topic's watermarks and the group's committed offsets for `Engine.lag()` and `caughtUp()`, the
 * same way for both engines: one ListOffsets and one OffsetFetch request through a kafkajs admin client of its own.
 *
 * Its own connections on purpose: a consumer's connection to a broker is mostly busy with long-poll fetches, and a
 * broker answers one request per connection at a time, so a query sent through the consumer waits behind a fetch.
 * With librdkafka that was ~0.5 s per partition (`queryWatermarkOffsets` while consuming); polled every second
 * for 12 partitions, the queries piled up on the libuv thread pool and starved the consume calls.
 * Concurrent reads share one snapshot request, so callers polling on timers never pile up either.
 */
export class GroupOffsets {
  readonly #admin: Admin;
  readonly #group: string;
  readonly #topic: string;
  #connecting: Promise<void> | null = null;
  #inFlight: Promise<OffsetsSnapshot> | null = null;
  #closed = false;

  constructor(kafka: KafkaSettings, group: string, topic: string, logger: Logger) {
    this.#admin = new Kafka(
      toKafkajsConfig({ ...kafka, clientId: `${kafka.clientId}-offsets` }, { logger }),
    ).admin();
    this.#group = group;
    this.#topic = topic;
  }

  connect(): Promise<void> {
    this.#connecting ??= this.#admin.connect();
    return this.#connecting;
  }

  /** Watermarks and committed offsets; a call while another is in flight gets that one's answer. */
  snapshot(): Promise<OffsetsSnapshot> {
    if (this.#closed) return Promise.reject(new Error("the offsets reader is disconnected"));
    this.#inFlight ??= this.#read().finally(() => (this.#inFlight = null));
    return this.#inFlight;
  }

  /** Lag of the owned partitions (see `partitionLag`: processed position, else committed, else log start). */
  async lag(
    owned: readonly TopicPartition[],
    processed: ReadonlyMap<string, bigint>,
  ): Promise<Map<string, bigint>> {
    if (owned.length === 0) return new Map();
    const { watermarks, committed } = await this.snapshot();
    return partitionLag(owned, watermarks, processed, committed);
  }

  /** True iff the group's committed offset reached the high watermark on EVERY partition of the topic. */
  async caughtUp(): Promise<boolean> {
    const { partitions, watermarks, committed } = await this.snapshot();
    return partitions.length > 0 && groupCaughtUp(partitions, watermarks, committed);
  }

  /** The input topic's partition count, from a fresh metadata request. */
  async partitionCount(): Promise<number> {
    if (this.#closed) throw new Error("the offsets reader is disconnected");
    await this.connect();
    const { topics } = await this.#admin.fetchTopicMetadata({ topics: [this.#topic] });
    const count = topics.find((t) => t.name === this.#topic)?.partitions.length ?? 0;
    if (count < 1) throw new Error(`topic ${this.#topic} has no partitions in the broker's metadata`);
    return count;
  }

  /**
   * Stops new reads, lets a read in flight finish (at most `READ_DRAIN_MS`), then disconnects (at most
   * `DISCONNECT_MS`). Disconnecting under a request in flight made kafkajs write to a socket it was ending
   * (ERR_STREAM_WRITE_AFTER_END) and once kept a stopping processor from exiting.
   */
  async disconnect(): Promise<void> {
    this.#closed = true;
    if (this.#connecting === null) return;
    await this.#connecting.catch(() => undefined);
    const reading = this.#inFlight;
    if (reading !== null) await within(READ_DRAIN_MS, reading.then(ignore, ignore));
    await within(DISCONNECT_MS, this.#admin.disconnect());
  }

  async #read(): Promise<OffsetsSnapshot> {
    await this.connect();
    const topic = this.#topic;
    const [offsets, [group]] = await Promise.all([
      this.#admin.fetchTopicOffsets(topic),
      this.#admin.fetchOffsets({ groupId: this.#group, topics: [topic] }),
    ]);
    const partitions = offsets
      .map((o): TopicPartition => ({ topic, partition: o.partition }))
      .sort((a, b) => a.partition - b.partition);
    const watermarks = new Map(
      offsets.map((o) => [
        topicPartitionKey({ topic, partition: o.partition }),
        { low: BigInt(o.low), high: BigInt(o.high) },
      ]),
    );
    const committed = new Map<string, bigint>();
    for (const p of group?.partitions ?? []) {
      const offset = BigInt(p.offset);
      if (offset >= 0n) committed.set(topicPartitionKey({ topic, partition: p.partition }), offset);
    }
    return { partitions, watermarks, committed };
  }
}
