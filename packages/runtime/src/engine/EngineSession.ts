import type { Logger } from "../ops/Logger.js";
import {
  topicPartitionKey,
  type EngineHandlers,
  type PartitionBatch,
  type TopicPartition,
} from "./Engine.js";
import { BatchGate } from "./BatchGate.js";

export type SessionState = "running" | "stopping" | "failed" | "stopped";

/**
 * The client-independent half of an engine adapter: which partitions this member owns, what it has processed,
 * the order of rebalance callbacks against batches (`BatchGate`), and failure. Adapters run fetches through
 * `batch`, rebalances through `rebalance`, and hand records to `deliver`.
 */
export class EngineSession {
  readonly #handlers: EngineHandlers;
  readonly #logger: Logger;
  readonly #gate = new BatchGate();
  readonly #owned = new Map<string, TopicPartition>();
  readonly #processed = new Map<string, bigint>();
  #state: SessionState = "running";
  #joined = false;

  constructor(handlers: EngineHandlers, logger: Logger) {
    this.#handlers = handlers;
    this.#logger = logger;
  }

  get state(): SessionState {
    return this.#state;
  }

  /** True once a first assignment (possibly empty) was received. */
  get joined(): boolean {
    return this.#joined;
  }

  owned(): TopicPartition[] {
    return [...this.#owned.values()];
  }

  isOwned(tp: TopicPartition): boolean {
    return this.#owned.has(topicPartitionKey(tp));
  }

  /** Next offset after the last delivered batch, per owned partition with at least one batch. */
  processed(): ReadonlyMap<string, bigint> {
    return this.#processed;
  }

  /** Runs fetch-and-deliver work; never concurrently with a rebalance. */
  batch<T>(task: () => Promise<T>): Promise<T> {
    return this.#gate.batch(task);
  }

  /** Runs rebalance work alone, after in-flight batches. A rejection fails the session. */
  rebalance(task: () => Promise<void>): Promise<void> {
    return this.#gate.exclusive(task).catch((error: unknown) => this.fail(error));
  }

  /** Inside `rebalance`: take ownership and tell the loop (not after a failure or once stopping). */
  async assigned(partitions: readonly TopicPartition[]): Promise<void> {
    this.#joined = true;
    if (this.#state !== "running") return;
    for (const tp of partitions)
      this.#owned.set(topicPartitionKey(tp), { topic: tp.topic, partition: tp.partition });
    this.#logger.info({ partitions: partitions.map(topicPartitionKey) }, "partitions assigned");
    if (partitions.length > 0) await this.#handlers.onAssigned(partitions);
  }

  /**
   * Inside `rebalance`: tell the loop (unless failed) and drop ownership. With `alreadyGone` (kafkajs: the group
   * has moved the partitions already) ownership is dropped BEFORE `onRevoked`, so commits made from it are skipped.
   */
  async revoked(
    partitions: readonly TopicPartition[],
    options: { readonly alreadyGone: boolean },
  ): Promise<void> {
    const mine = partitions.filter((tp) => this.isOwned(tp));
    const drop = () => {
      for (const tp of mine) {
        this.#owned.delete(topicPartitionKey(tp));
        this.#processed.delete(topicPartitionKey(tp));
      }
    };
    if (options.alreadyGone) drop();
    try {
      if (mine.length > 0 && this.#state !== "failed" && this.#state !== "stopped") {
        this.#logger.info({ partitions: mine.map(topicPartitionKey) }, "partitions revoked");
        await this.#handlers.onRevoked(mine);
      }
    } finally {
      drop();
    }
  }

  /**
   * Hands one partition's records to the loop if the partition is still owned and the session running.
   * Returns whether it was delivered; a rejection of `onBatch` fails the session (and returns false).
   */
  async deliver(batch: PartitionBatch): Promise<boolean> {
    if (this.#state !== "running" || batch.records.length === 0) return false;
    if (!this.isOwned(batch)) {
      this.#logger.warn(
        { partition: topicPartitionKey(batch), records: batch.records.length },
        "dropped records of a partition not owned",
      );
      return false;
    }
    try {
      await this.#handlers.onBatch(batch);
    } catch (error) {
      this.fail(error);
      return false;
    }
    const last = batch.records[batch.records.length - 1]!;
    if (this.isOwned(batch)) this.#processed.set(topicPartitionKey(batch), last.offset + 1n);
    return true;
  }

  /** Stops delivering and reports once to `onError`. */
  fail(error: unknown): void {
    if (this.#state === "failed" || this.#state === "stopped") return;
    this.#state = "failed";
    const err = error instanceof Error ? error : new Error(String(error));
    this.#logger.error({ err }, "engine failed");
    this.#handlers.onError(err);
  }

  /**
   * First step of `stop()`: no more deliveries; then, after in-flight batches, `onRevoked` for what is still
   * owned (skipped after a failure). `release` runs inside that exclusive step, e.g. unassign.
   */
  async stop(
    release: (owned: readonly TopicPartition[]) => Promise<void> = async () => undefined,
  ): Promise<void> {
    const failed = this.#state === "failed";
    if (this.#state === "running") this.#state = "stopping";
    await this.#gate.exclusive(async () => {
      const owned = this.owned();
      try {
        if (!failed && owned.length > 0) await this.#handlers.onRevoked(owned);
      } finally {
        this.#owned.clear();
        this.#processed.clear();
        await release(owned);
      }
    });
  }

  markStopped(): void {
    this.#state = "stopped";
  }
}
