import type { Db } from "mongodb";
import type { Engine, EngineHandlers, PartitionBatch, TopicPartition } from "../engine/Engine.js";
import type { Logger } from "../ops/Logger.js";
import type { RuntimeMetrics } from "../ops/Metrics.js";
import { createMetrics } from "../ops/Metrics.js";
import { KEY_STATE_COLLECTION, MongoTaskStore } from "../store/MongoTaskStore.js";
import { meteredTaskStore } from "../store/MeteredTaskStore.js";
import { retryingTaskStore } from "../store/RetryingTaskStore.js";
import type { StoreAdmin, TaskStore } from "../store/TaskStore.js";
import type { LoopConfig } from "./LoopConfig.js";
import { LOOP_DEFAULTS, checkLoopConfig, topicOrNull } from "./LoopConfig.js";
import { misPartitionedReason } from "./PartitioningContract.js";
import { StateCache } from "./StateCache.js";
import type { BatchResult, CommitResult, TaskCacheEntry } from "./StreamTask.js";
import { StreamTask } from "./StreamTask.js";
import { checkModel } from "./StreamModel.js";
import type { StreamModel } from "./StreamModel.js";

export interface ProcessorDeps<E> {
  readonly config: LoopConfig;
  readonly engine: Engine;
  /** A connected database (results go to its collections). */
  readonly db?: Db;
  /** The game's model: `arenaModel()` for gametel's own events, or another game's declaration. */
  readonly model: StreamModel<E>;
  readonly logger: Logger;
  readonly metrics?: RuntimeMetrics;
  /** Overrides the MongoDB store (unit tests use the in-memory one); `db` is then not needed. */
  readonly store?: TaskStore & Partial<StoreAdmin>;
  readonly now?: () => number;
}

/** Totals since start, for the end-of-run summary and tests. */
export interface ProcessorTotals {
  batches: number;
  records: number;
  valid: number;
  deadLettered: number;
  duplicates: number;
  late: number;
  skipped: number;
  /** Of deadLettered: valid events on another partition than their partition key's. */
  misPartitioned: number;
  /** Of deadLettered: valid events with an event_time out of bounds. */
  eventTimeOutOfRange: number;
  /** Dead letters sent as a reference because the record was too large. */
  deadLettersTruncated: number;
}

export interface Processor {
  /** Creates indexes, starts the engine (joins the group). Resolves once started. */
  start(): Promise<void>;
  /** Finishes in-flight batches, flushes, commits, leaves the group. Idempotent. */
  stop(): Promise<void>;
  /** Resolves when the processor stopped (stop() or caught up); rejects when it failed. */
  readonly done: Promise<void>;
  readonly handlers: EngineHandlers;
  readonly metrics: RuntimeMetrics;
  readonly totals: Readonly<ProcessorTotals>;
  /** Started, not stopping, and owns at least one partition or has been assigned at least once. */
  ready(): boolean;
  /** Not failed. */
  healthy(): boolean;
}

/**
 * The engine-agnostic processing loop: one StreamTask per assigned partition over a shared bounded cache and the
 * MongoDB store. Implements the engine's handlers; see docs/processing-design.md for the exactly-once-effect protocol.
 */
export function createProcessor<E>(deps: ProcessorDeps<E>): Processor {
  const { config, engine, logger, model } = deps;
  checkLoopConfig(config);
  checkModel(model);
  const keyState = config.keyStateCollection ?? KEY_STATE_COLLECTION;
  const clash = model.aggregations.find((a) => a.collection === keyState);
  if (clash !== undefined)
    throw new Error(`aggregation ${clash.name} writes ${keyState}, the runtime's key state collection`);
  const metrics = deps.metrics ?? createMetrics();
  const now = deps.now ?? Date.now;
  const baseStore: TaskStore & Partial<StoreAdmin> =
    deps.store ??
    new MongoTaskStore({
      db: requireDb(deps.db),
      ...(config.keyStateCollection === undefined ? {} : { keyStateCollection: config.keyStateCollection }),
      now,
    });
  const store = retryingTaskStore(meteredTaskStore(baseStore, metrics), {
    attempts: config.writeAttempts ?? LOOP_DEFAULTS.writeAttempts,
    logger,
    onRetry: (operation) => metrics.storeRetries.inc({ collection: operation }),
  });
  const stateCache = new StateCache<TaskCacheEntry>(config.cacheSize ?? LOOP_DEFAULTS.cacheSize);
  const topics = {
    deadLetter: config.dlqTopic,
    late: topicOrNull(config.lateTopic),
    output: topicOrNull(config.outputTopic),
  };
  const tasks = new Map<number, StreamTask<E>>();
  const eventTimeBounds = { ...LOOP_DEFAULTS.eventTimeBounds, ...config.eventTimeBounds };
  const deadLetterMaxBytes = config.deadLetterMaxBytes ?? LOOP_DEFAULTS.deadLetterMaxBytes;
  const commitBounds = {
    intervalMs: config.commitIntervalMs ?? LOOP_DEFAULTS.commitIntervalMs,
    maxRecords: config.commitMaxRecords ?? LOOP_DEFAULTS.commitMaxRecords,
    maxBytes: config.commitMaxBytes ?? LOOP_DEFAULTS.commitMaxBytes,
    maxEntries: config.cacheSize ?? LOOP_DEFAULTS.cacheSize,
  };
  const pauseInCommitMs = config.testPauseInCommitMs ?? 0;
  const afterPhase =
    pauseInCommitMs > 0
      ? async (phase: number) => {
          logger.warn({ phase, pauseMs: pauseInCommitMs }, "test hook: pausing inside a commit");
          await new Promise((resolve) => setTimeout(resolve, pauseInCommitMs));
        }
      : undefined;
  /** The input topic's partition count, read on every assignment (before any batch of it). */
  let inputPartitions: number | undefined;
  const partitions = (): number => {
    if (inputPartitions === undefined) throw new Error("internal: a batch before the input partition count");
    return inputPartitions;
  };
  const totals: ProcessorTotals = {
    batches: 0,
    records: 0,
    valid: 0,
    deadLettered: 0,
    duplicates: 0,
    late: 0,
    skipped: 0,
    misPartitioned: 0,
    eventTimeOutOfRange: 0,
    deadLettersTruncated: 0,
  };
  const topicLabel = { topic: config.inputTopic };
  let state: "new" | "starting" | "running" | "stopping" | "stopped" | "failed" = "new";
  let assignedOnce = false;
  let timer: NodeJS.Timeout | undefined;
  let commitTimer: NodeJS.Timeout | undefined;
  let checking = false;
  let stopPromise: Promise<void> | undefined;
  let resolveDone!: () => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // `done` may be observed late (or only through stop()); never an unhandled rejection.
  done.catch(() => undefined);

  const taskFor = (partition: number): StreamTask<E> => {
    let task = tasks.get(partition);
    if (task === undefined) {
      task = new StreamTask<E>({
        topic: config.inputTopic,
        partition,
        model,
        store,
        cache: stateCache,
        collector: engine,
        topics,
        logger,
        checkPartition: (key, partition) => misPartitionedReason(key, partition, partitions()),
        eventTimeBounds,
        now,
        deadLetterMaxBytes,
        commit: commitBounds,
        onCommit: committed,
        ...(afterPhase === undefined ? {} : { afterPhase }),
      });
      tasks.set(partition, task);
    }
    return task;
  };

  /** After a commit: results are visible now (end-to-end latency), and the group may have caught up. */
  const committed = (result: CommitResult) => {
    const visible = now();
    metrics.commits.inc({ reason: result.reason });
    for (const eventTime of result.eventTimes)
      metrics.endToEndLatency.observe(Math.max(0, visible - eventTime) / 1000);
    if (config.exitWhenCaughtUp) void checkCaughtUp();
  };

  /** The commit interval's clock: tasks with nothing new to read commit too. */
  const commitTick = () => {
    for (const task of tasks.values())
      task.maybeCommit().catch((error: unknown) => handlers.onError(error as Error));
  };

  const record = (result: BatchResult, started: number) => {
    totals.batches += 1;
    totals.records += result.records;
    totals.valid += result.valid;
    totals.deadLettered += result.deadLettered;
    totals.duplicates += result.duplicates;
    totals.late += result.late;
    totals.skipped += result.skipped;
    totals.misPartitioned += result.misPartitioned;
    totals.eventTimeOutOfRange += result.eventTimeOutOfRange;
    totals.deadLettersTruncated += result.deadLettersTruncated;
    metrics.recordsConsumed.inc(topicLabel, result.records);
    if (result.valid > 0) metrics.recordsValid.inc(topicLabel, result.valid);
    if (result.duplicates > 0) metrics.recordsDuplicate.inc(topicLabel, result.duplicates);
    if (result.late > 0) metrics.recordsLate.inc(topicLabel, result.late);
    if (result.skipped > 0) metrics.recordsSkippedApplied.inc(topicLabel, result.skipped);
    for (const reason of result.deadLetterReasons)
      metrics.recordsDeadLettered.inc({ ...topicLabel, reason: reasonLabel(reason) });
    if (result.keyPartitionMismatches > 0) metrics.keyPartitionMismatch.inc(result.keyPartitionMismatches);
    if (result.misPartitioned > 0) metrics.recordsMisPartitioned.inc(topicLabel, result.misPartitioned);
    if (result.eventTimeOutOfRange > 0)
      metrics.recordsEventTimeOutOfRange.inc(topicLabel, result.eventTimeOutOfRange);
    if (result.deadLettersTruncated > 0)
      metrics.deadLettersTruncated.inc(topicLabel, result.deadLettersTruncated);
    if (result.cacheHits > 0) metrics.cacheHits.inc(result.cacheHits);
    if (result.cacheMisses > 0) metrics.cacheMisses.inc(result.cacheMisses);
    metrics.cacheEntries.set(stateCache.size);
    metrics.batchSize.observe(topicLabel, result.records);
    const written = now();
    metrics.batchDuration.observe(topicLabel, (written - started) / 1000);
  };

  const refreshLag = async () => {
    const lag = await engine.lag();
    metrics.consumerLag.reset();
    for (const [tp, value] of lag) {
      const cut = tp.lastIndexOf(":");
      metrics.consumerLag.set({ topic: tp.slice(0, cut), partition: tp.slice(cut + 1) }, Number(value));
    }
  };

  const checkCaughtUp = async () => {
    if (!config.exitWhenCaughtUp || checking || state !== "running") return;
    checking = true;
    try {
      if (await engine.caughtUp()) {
        logger.info({ ...totals }, "caught up: stopping");
        // Outside any engine callback: stop() waits for in-flight batches.
        setImmediate(() => void stop());
      }
    } catch (error) {
      logger.warn({ err: error }, "caught-up check failed");
    } finally {
      checking = false;
    }
  };

  const poll = () => {
    void refreshLag().catch((error: unknown) => logger.debug({ err: error }, "lag refresh failed"));
    void checkCaughtUp();
  };

  const handlers: EngineHandlers = {
    async onAssigned(assigned: readonly TopicPartition[]) {
      assignedOnce = true;
      const owned = new Set(assigned.map((tp) => tp.partition));
      let count: number;
      try {
        count = await engine.inputPartitionCount();
      } catch (error) {
        // Without any count the contract cannot be checked: fail (the engine stops, nothing is committed).
        if (inputPartitions === undefined) throw error;
        logger.warn(
          { err: error, partitions: inputPartitions },
          "input partition count unavailable: keeping the last",
        );
        count = inputPartitions;
      }
      if (inputPartitions !== undefined && count !== inputPartitions)
        logger.warn(
          { before: inputPartitions, now: count },
          "input topic's partition count changed: keys move to other partitions",
        );
      inputPartitions = count;
      // Defensive: whatever was cached for these partitions may be stale (another owner may have written since).
      stateCache.dropPartitions(owned);
      metrics.assignedPartitions.set(engine.assignment().length);
      logger.info({ partitions: [...owned], of: count }, "partitions assigned");
    },
    async onRevoked(partitions: readonly TopicPartition[]) {
      const revoked = new Set(partitions.map((tp) => tp.partition));
      // Write and commit what the revoked tasks hold (the engine skips offsets of partitions already given away).
      await Promise.all([...revoked].map((partition) => tasks.get(partition)?.commit()));
      for (const partition of revoked) tasks.delete(partition);
      const dropped = stateCache.dropPartitions(revoked);
      metrics.cacheEntries.set(stateCache.size);
      metrics.assignedPartitions.set(Math.max(0, engine.assignment().length - revoked.size));
      logger.info({ partitions: [...revoked], droppedEntries: dropped }, "partitions revoked");
    },
    async onBatch(batch: PartitionBatch) {
      const started = now();
      const result = await taskFor(batch.partition).process(batch);
      record(result, started);
      if (config.exitWhenCaughtUp) void checkCaughtUp();
    },
    onError(error: Error) {
      if (state === "failed" || state === "stopped") return;
      state = "failed";
      logger.error({ err: error }, "processor failed");
      clearInterval(timer);
      clearInterval(commitTimer);
      engine.stop().then(
        () => rejectDone(error),
        (stopError: unknown) => {
          logger.error({ err: stopError }, "engine stop after failure failed");
          rejectDone(error);
        },
      );
    },
  };

  async function start(): Promise<void> {
    if (state !== "new") throw new Error(`processor already ${state}`);
    state = "starting";
    try {
      await baseStore.ensureIndexes?.(
        model.aggregations.map((a) => ({ collection: a.collection, indexes: a.indexes ?? [] })),
      );
      await engine.start(handlers);
    } catch (error) {
      state = "failed";
      rejectDone(error as Error);
      throw error;
    }
    if (state === "starting") state = "running";
    timer = setInterval(poll, config.pollIntervalMs ?? LOOP_DEFAULTS.pollIntervalMs);
    timer.unref();
    commitTimer = setInterval(commitTick, Math.max(10, Math.min(250, commitBounds.intervalMs / 4)));
    commitTimer.unref();
    // The apps bind `engine` to every line already (a second `engine` key would repeat it).
    logger.info({ input: config.inputTopic }, "processor started");
    if (config.exitWhenCaughtUp) void checkCaughtUp();
  }

  function stop(): Promise<void> {
    if (stopPromise !== undefined) return stopPromise;
    if (state === "failed") return done;
    state = "stopping";
    clearInterval(timer);
    // Commits on stop go through onRevoked (the engine calls it for every owned partition).
    clearInterval(commitTimer);
    stopPromise = engine.stop().then(
      () => {
        state = "stopped";
        logger.info({ ...totals }, "processor stopped");
        resolveDone();
      },
      (error: unknown) => {
        state = "failed";
        rejectDone(error as Error);
        throw error;
      },
    );
    return stopPromise;
  }

  return {
    start,
    stop,
    done,
    handlers,
    metrics,
    totals,
    ready: () => state === "running" && assignedOnce,
    healthy: () => state !== "failed",
  };
}

function requireDb(db: Db | undefined): Db {
  if (db === undefined)
    throw new TypeError("createProcessor needs `db` (a connected MongoDB database) or a `store`");
  return db;
}

/** Metric label for a dead-letter reason: its first words, so label cardinality stays small. */
function reasonLabel(reason: string): string {
  return reason.split(/[:(]/)[0]?.trim().slice(0, 60) || "unknown";
}
