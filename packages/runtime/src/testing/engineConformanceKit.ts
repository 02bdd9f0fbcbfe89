import { randomBytes } from "node:crypto";
import type {
  ConsumedRecord,
  Engine,
  EngineHandlers,
  PartitionBatch,
  TopicPartition,
} from "../engine/Engine.js";

/** A name no other run uses (topic, group). */
export const uniqueName = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

export interface RecorderOptions {
  /** Commit each batch's next offset once it is recorded (as the processing loop does after its write). */
  readonly commit: boolean;
  /** Pause per batch, to keep work in flight during a rebalance. */
  readonly delayMs?: number;
  /** Reject the first batch (to test failure). */
  readonly failFirstBatch?: boolean;
}

/** Engine handlers that record what the engine does, checking the port's ordering rules on the way. */
export class Recorder implements EngineHandlers {
  readonly records: ConsumedRecord[] = [];
  readonly batches: PartitionBatch[] = [];
  readonly assignedEvents: TopicPartition[][] = [];
  readonly revokedEvents: TopicPartition[][] = [];
  readonly errors: Error[] = [];
  /** The batch rejected with `failFirstBatch`. */
  rejected: PartitionBatch | null = null;
  /** Broken port rules, as sentences. */
  readonly violations: string[] = [];
  readonly #owned = new Set<number>();
  readonly #inFlight = new Set<number>();
  readonly #next = new Map<number, bigint>();
  #engine: Engine | null = null;

  constructor(private readonly options: RecorderOptions) {}

  attach(engine: Engine): this {
    this.#engine = engine;
    return this;
  }

  owned(): number[] {
    return [...this.#owned].sort((a, b) => a - b);
  }

  async onAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    if (this.#inFlight.size > 0) this.violations.push("onAssigned during a batch");
    for (const tp of partitions) {
      if (this.#owned.has(tp.partition)) this.violations.push(`partition ${tp.partition} assigned twice`);
      this.#owned.add(tp.partition);
      this.#next.delete(tp.partition);
    }
    this.assignedEvents.push([...partitions]);
  }

  async onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    if (this.#inFlight.size > 0) this.violations.push("onRevoked during a batch");
    for (const tp of partitions) {
      if (!this.#owned.delete(tp.partition))
        this.violations.push(`partition ${tp.partition} revoked but not assigned`);
    }
    this.revokedEvents.push([...partitions]);
  }

  async onBatch(batch: PartitionBatch): Promise<void> {
    const { partition } = batch;
    if (this.errors.length > 0) this.violations.push(`batch of partition ${partition} after onError`);
    if (!this.#owned.has(partition))
      this.violations.push(`batch of partition ${partition} outside its assignment`);
    if (this.#inFlight.has(partition)) this.violations.push(`two batches of partition ${partition} at once`);
    this.#inFlight.add(partition);
    try {
      if (this.options.failFirstBatch === true && this.rejected === null) {
        this.rejected = batch;
        throw new Error("first batch rejected on purpose");
      }
      let previous = this.#next.get(partition);
      for (const r of batch.records) {
        if (r.topic !== batch.topic || r.partition !== partition)
          this.violations.push(`record of ${r.topic}:${r.partition} in batch of ${partition}`);
        if (previous !== undefined && r.offset < previous)
          this.violations.push(`partition ${partition}: offset ${r.offset} after ${previous}`);
        previous = r.offset + 1n;
      }
      if (previous !== undefined) this.#next.set(partition, previous);
      this.batches.push(batch);
      this.records.push(...batch.records);
      if (this.options.delayMs !== undefined) await sleep(this.options.delayMs);
      if (this.options.commit) {
        const last = batch.records[batch.records.length - 1]!;
        await this.#engine!.commit([{ topic: batch.topic, partition, offset: last.offset + 1n }]);
      }
    } finally {
      this.#inFlight.delete(partition);
    }
  }

  onError(error: Error): void {
    this.errors.push(error);
  }
}

/** "partition:offset" of each record, for set comparisons. */
export const positions = (records: readonly ConsumedRecord[]): string[] =>
  records.map((r) => `${r.partition}:${r.offset}`);
