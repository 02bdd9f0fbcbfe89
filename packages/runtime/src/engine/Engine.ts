/**
 * The engine port: what the processing loop needs from a Kafka client, and nothing else.
 *
 * Two adapters implement it (`apps/processor-kafkajs`, `apps/processor-rdkafka`); the conformance suite
 * (`@gametel/runtime/conformance`) checks both against a real broker. Types only: no client import here.
 *
 * Offsets are `bigint` everywhere (kafkajs gives decimal strings, librdkafka gives numbers).
 */

/** One Kafka record as the runtime sees it. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Record timestamp (producer create time or broker log-append time), epoch ms. */
  readonly timestamp: number;
  /** Record headers; a header repeated under one name keeps its last value. */
  readonly headers: Readonly<Record<string, Buffer>>;
}

/** Records of ONE partition, in offset order (offsets strictly increasing, not necessarily contiguous). */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A position in a partition: the NEXT offset to read (last processed offset + 1), as Kafka commits it. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: bigint;
}

export interface ProducedRecord {
  readonly topic: string;
  /** Partitioned with Java-compatible murmur2 (`partitionForKey`); a null key goes to any partition. */
  readonly key: Buffer | string | null;
  /** null = tombstone (deletes the key from a compacted topic). */
  readonly value: Buffer | string | null;
  readonly headers?: Readonly<Record<string, Buffer | string>>;
}

/**
 * What the processing loop gives an engine. Every callback is awaited.
 *
 * Ordering guarantees of every engine:
 * - `onBatch` is never called for a partition before the previous `onBatch` for that partition resolved;
 *   batches of DIFFERENT partitions may run concurrently.
 * - `onAssigned`/`onRevoked` never overlap an `onBatch`: the engine waits for in-flight batches first,
 *   and delivers no batch while they run.
 * - A partition's batches are delivered only between its `onAssigned` and its `onRevoked`.
 * - `onRevoked` is awaited before the partition is given away where the client allows it (librdkafka: inside
 *   the rebalance callback, before `unassign`). kafkajs has no revocation hook: its engine calls `onRevoked`
 *   for ALL previously owned partitions as soon as it has re-joined, before `onAssigned` and before any batch
 *   of the new generation; by then the partition may have another owner, so commits made from it are skipped.
 *   The loop writes and commits what it holds in `onRevoked` (with kafkajs that write is a zombie's, harmless
 *   thanks to the offset fences, and its records are replayed by the next owner) and drops the partition's cache.
 * - `commit` may be called at any time between `start` and the end of `stop` (the loop commits on its commit
 *   interval's timer too, not only from `onBatch`).
 */
export interface EngineHandlers {
  onAssigned(partitions: readonly TopicPartition[]): Promise<void>;
  onRevoked(partitions: readonly TopicPartition[]): Promise<void>;
  onBatch(batch: PartitionBatch): Promise<void>;
  /**
   * The engine cannot go on: a handler rejected, or the client failed for good. Called at most once; the engine
   * has already stopped delivering batches. The loop should call `stop()` (which then does NOT call
   * `onRevoked`: nothing more is flushed or committed after a failure) and exit non-zero; uncommitted records
   * are redelivered to the next owner.
   */
  onError(error: Error): void;
}

export interface Engine {
  /** "kafkajs" or "rdkafka". */
  readonly name: string;
  /** Create missing topics, connect producer and consumer, subscribe to the input topic, join the group. */
  start(handlers: EngineHandlers): Promise<void>;
  /**
   * Commit positions (next offset to read) to the group; call only after the results are durably written.
   * Concurrent calls are allowed (the rdkafka engine coalesces them into one commit request). Partitions this
   * member no longer owns are skipped, and a commit refused because the group is rebalancing is logged and
   * dropped: the next owner resumes from the last successful commit and MongoDB's offset fences make the replay
   * harmless. Other failures reject.
   */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Produce and wait for broker acks (acks=all, Java-compatible murmur2 partitioner). */
  produce(records: readonly ProducedRecord[]): Promise<void>;
  /** Partitions currently owned (after `onAssigned`, until `onRevoked`). */
  assignment(): readonly TopicPartition[];
  /**
   * Per owned input partition ("topic:partition"): high watermark minus this member's position (next offset
   * after the last batch whose `onBatch` resolved; before the first batch, the group's committed offset or
   * the log start).
   */
  lag(): Promise<ReadonlyMap<string, bigint>>;
  /**
   * True when the GROUP has no lag: for every partition of the input topic, the group's committed offset
   * (or the log start, if none) has reached the high watermark, and this member has joined. Used by
   * `--exit-when-caught-up` after a commit.
   */
  caughtUp(): Promise<boolean>;
  /**
   * The input topic's partition count, from fresh metadata. The loop asks on every assignment: it is the modulus of
   * the partitioning contract (a record must be on murmur2(partition key) mod this count).
   */
  inputPartitionCount(): Promise<number>;
  /**
   * Stop fetching, wait for in-flight batches, call `onRevoked` for owned partitions (unless `onError` was
   * called), leave the group, disconnect all clients. Idempotent.
   */
  stop(): Promise<void>;
}

/** "topic:partition", the key of `Engine.lag()`. */
export const topicPartitionKey = (tp: TopicPartition): string => `${tp.topic}:${tp.partition}`;
