import type {
  ChangeStream,
  ChangeStreamInsertDocument,
  ChangeStreamOptions,
  Collection,
  Document,
  Filter,
  MongoClient,
} from "mongodb";
import { routeDocument, type OutgoingRecord, type RouteContext } from "./documentToRecord.js";
import { captureResumePoint, describeResumePoint } from "./internal/resumePoint.js";
import { isResumePointError, ResumePointLostError } from "./changeStreamErrors.js";
import { createMongoOffsetStore, type OffsetStore, type SourceOffset } from "./OffsetStore.js";
import type { RecordPublisher } from "./Publisher.js";
import { SourceConfigError, sourceLabel, type SourceConfig } from "./SourceConfig.js";
import type { SourceLogger } from "./SourceLogger.js";
import { LogEvent } from "./LogEvents.js";

export interface MongoSourceDeps {
  readonly config: SourceConfig;
  /** A connected client. The source never closes it. */
  readonly client: MongoClient;
  /** A connected publisher. The source never disconnects it. */
  readonly publisher: RecordPublisher;
  readonly logger: SourceLogger;
  /** Defaults to the `_gametel_source_offsets` collection of the watched database. */
  readonly offsets?: OffsetStore;
  readonly now?: () => number;
}

export type StopReason = "stopped" | "idle" | "max-events";

export interface SourceSummary {
  readonly reason: StopReason;
  /** Valid events published to the events topic in this run. */
  readonly events: number;
  /** Documents published to the dead-letter topic in this run. */
  readonly deadLetters: number;
  /** Documents published by the copy of existing documents in this run (included in the two above). */
  readonly copied: number;
  readonly checkpoints: number;
}

/** What the source has done so far in this run (for `/metrics` and `/readyz`). */
export interface SourceProgress {
  /** True from a loaded or captured offset until `run` returns: copying or following the change stream. */
  readonly running: boolean;
  readonly phase: SourceOffset["phase"];
  readonly events: number;
  readonly deadLetters: number;
  readonly copied: number;
  readonly checkpoints: number;
}

export interface MongoSource {
  /** Copy (if asked and not done yet), then follow the change stream until stopped, idle or at max events. */
  run(): Promise<SourceSummary>;
  /** Ask `run` to finish: the in-flight batch is published and the offset saved before it resolves. */
  stop(): void;
  progress(): SourceProgress;
}

const INSERTS_ONLY = [{ $match: { operationType: "insert" } }];
/** Longest pause between polls of an idle stream on a server without awaitData (see `follow`). */
const MAX_IDLE_PAUSE_MS = 4000;

/**
 * The change-stream source. Order of effects for every batch: publish to Kafka, wait for the acks, only
 * then move the offset (saved every `checkpointEvery` documents or `checkpointIntervalMs`). A crash at any
 * point therefore restarts at or before the first unacknowledged document: nothing is lost, and what is
 * published twice carries the same `event_id` and is dropped downstream.
 */
export function createMongoSource(deps: MongoSourceDeps): MongoSource {
  const { config, client, publisher, logger } = deps;
  const now = deps.now ?? Date.now;
  const db = client.db(config.database);
  const collection: Collection<Document> = db.collection(config.collection);
  const namespace = `${config.database}.${config.collection}`;
  const offsets = deps.offsets ?? createMongoOffsetStore(db, config.offsetsCollection, config.name);
  const route: RouteContext = {
    eventsTopic: config.eventsTopic,
    deadLetterTopic: config.deadLetterTopic,
    source: sourceLabel(config),
  };

  let stopRequested = false;
  let wake: (() => void) | null = null;
  const counts = { events: 0, deadLetters: 0, copied: 0, checkpoints: 0 };
  let phase: SourceOffset["phase"] = "stream";
  let running = false;

  // Offset bookkeeping: `offset` is the newest acknowledged position, `dirty` when it is not saved yet.
  let offset: SourceOffset | null = null;
  let dirty = false;
  let unsavedDocuments = 0;
  let lastSaveAt = now();

  const published = () => counts.events + counts.deadLetters;
  const remaining = () => (config.maxEvents === null ? Infinity : config.maxEvents - published());

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  async function publishDocuments(documents: readonly Document[]): Promise<void> {
    const records: OutgoingRecord[] = [];
    let events = 0;
    for (const document of documents) {
      const routed = routeDocument(document, route);
      if (routed.kind === "event") events += 1;
      else logger.debug({ reason: routed.reason, path: routed.path, id: routed.record.key }, "dead letter");
      records.push(routed.record);
    }
    await publisher.publish(records);
    counts.events += events;
    counts.deadLetters += documents.length - events;
  }

  function advance(next: SourceOffset, documents: number): void {
    offset = next;
    dirty = true;
    unsavedDocuments += documents;
  }

  async function checkpoint(force: boolean): Promise<void> {
    if (!dirty || offset === null) return;
    const due =
      unsavedDocuments >= config.checkpointEvery || now() - lastSaveAt >= config.checkpointIntervalMs;
    if (!force && !due) return;
    await offsets.save(offset);
    dirty = false;
    unsavedDocuments = 0;
    lastSaveAt = now();
    counts.checkpoints += 1;
    logger.debug(
      { phase: offset.phase, copied: offset.copied, at: describeResumePoint(offset.resumePoint) },
      LogEvent.checkpoint,
    );
  }

  async function start(): Promise<SourceOffset> {
    if (config.reset) {
      await offsets.clear();
      logger.info({ source: config.name }, LogEvent.offsetReset);
    }
    const saved = await offsets.load();
    if (saved !== null) {
      if (saved.namespace !== namespace) {
        throw new SourceConfigError(
          `source "${config.name}" has an offset for ${saved.namespace}, not ${namespace}: use another --name, or --reset`,
        );
      }
      logger.info(
        {
          source: config.name,
          phase: saved.phase,
          copied: saved.copied,
          at: describeResumePoint(saved.resumePoint),
        },
        LogEvent.offsetLoaded,
      );
      if (config.copyExisting && saved.phase === "stream")
        logger.warn({ source: config.name }, LogEvent.copyIgnored);
      return saved;
    }
    // First run: fix the starting point and save it before reading anything, so that a crash from here on
    // resumes from it. With --copy-existing it is taken BEFORE the copy, so inserts during the copy are streamed.
    const resumePoint = await captureResumePoint(client, db);
    const first: SourceOffset = {
      namespace,
      phase: config.copyExisting ? "copy" : "stream",
      resumePoint,
      copyLastId: null,
      copied: 0,
    };
    await offsets.save(first);
    logger.info(
      { source: config.name, phase: first.phase, at: describeResumePoint(resumePoint) },
      LogEvent.resumePointCaptured,
    );
    return first;
  }

  async function copyExisting(from: SourceOffset): Promise<StopReason | null> {
    logger.info(
      { source: config.name, after_id: from.copyLastId ?? null, copied: from.copied },
      LogEvent.copyStarted,
    );
    let current = from;
    while (!stopRequested) {
      const limit = Math.min(config.batchSize, remaining());
      if (limit <= 0) return "max-events";
      const filter: Filter<Document> =
        current.copyLastId === null ? {} : ({ _id: { $gt: current.copyLastId } } as Filter<Document>);
      const documents = await collection.find(filter).sort({ _id: 1 }).limit(limit).toArray();
      if (documents.length === 0) {
        current = { ...current, phase: "stream", copyLastId: null };
        advance(current, 0);
        await checkpoint(true);
        logger.info({ source: config.name, copied: current.copied }, LogEvent.copyFinished);
        return null;
      }
      await publishDocuments(documents);
      counts.copied += documents.length;
      const lastId: unknown = documents[documents.length - 1]?._id;
      current = { ...current, copyLastId: lastId, copied: current.copied + documents.length };
      advance(current, documents.length);
      await checkpoint(false);
    }
    return "stopped";
  }

  async function follow(from: SourceOffset): Promise<StopReason> {
    const options: ChangeStreamOptions = { maxAwaitTimeMS: config.idlePollMs, batchSize: config.batchSize };
    if (from.resumePoint.kind === "token") options.resumeAfter = from.resumePoint.token;
    else options.startAtOperationTime = from.resumePoint.operationTime;
    const stream: ChangeStream<Document, ChangeStreamInsertDocument> = collection.watch<
      Document,
      ChangeStreamInsertDocument
    >(INSERTS_ONLY, options);
    logger.info(
      { source: config.name, namespace, from: describeResumePoint(from.resumePoint) },
      LogEvent.streamOpened,
    );
    let current = from;
    let lastActivityAt = now();
    let emptyPolls = 0;
    try {
      while (!stopRequested) {
        const limit = Math.min(config.batchSize, remaining());
        if (limit <= 0) return "max-events";
        const documents: Document[] = [];
        const askedAt = now();
        while (documents.length < limit) {
          const change = await stream.tryNext();
          if (change === null) break;
          if (change.operationType === "insert") documents.push(change.fullDocument);
        }
        const token = stream.resumeToken;
        if (documents.length > 0) {
          await publishDocuments(documents);
          lastActivityAt = now();
        }
        // The stream's resume token covers every change it returned (all published above). Real servers
        // also move it forward while idle (post-batch resume token), which keeps a quiet source's saved
        // point inside the oplog window.
        if (token !== null && token !== undefined && (documents.length > 0 || !sameToken(current, token))) {
          current = { ...current, phase: "stream", resumePoint: { kind: "token", token } };
          advance(current, documents.length);
        }
        await checkpoint(false);
        if (documents.length === 0) {
          if (config.exitWhenIdleMs !== null && now() - lastActivityAt >= config.exitWhenIdleMs)
            return "idle";
          // A real server holds an empty getMore for maxAwaitTimeMS (awaitData). mongo-java-server answers at
          // once, and every poll scans its whole oplog: pause here, longer the longer it stays idle.
          const waited = now() - askedAt;
          const pause = Math.min(config.idlePollMs * 2 ** emptyPolls, MAX_IDLE_PAUSE_MS);
          emptyPolls += 1;
          if (waited < config.idlePollMs) await sleep(pause - waited);
        } else {
          emptyPolls = 0;
        }
      }
      return "stopped";
    } catch (error) {
      if (isResumePointError(error, true)) {
        const e = error as { message: string; code?: number | string };
        throw new ResumePointLostError(config.name, e.message, e.code);
      }
      throw error;
    } finally {
      await stream.close().catch(() => undefined);
    }
  }

  return {
    async run() {
      logger.info(
        {
          source: config.name,
          namespace,
          events_topic: config.eventsTopic,
          dead_letter_topic: config.deadLetterTopic,
          copy_existing: config.copyExisting,
        },
        LogEvent.started,
      );
      const startedAt = now();
      const progress = setInterval(() => {
        const seconds = Math.max(1, (now() - startedAt) / 1000);
        logger.info({ phase, ...counts, rate_per_s: Math.round(published() / seconds) }, LogEvent.progress);
      }, config.logIntervalMs);
      progress.unref();
      try {
        let current = await start();
        offset = current;
        phase = current.phase;
        running = true;
        let reason: StopReason | null = null;
        if (current.phase === "copy") {
          reason = await copyExisting(current);
          current = offset;
        }
        if (reason === null) {
          phase = "stream";
          reason = stopRequested ? "stopped" : await follow(current);
        }
        if (reason === "idle") logger.info({ idle_ms: config.exitWhenIdleMs }, LogEvent.idleExit);
        if (reason === "max-events") logger.info({ max_events: config.maxEvents }, LogEvent.maxEventsReached);
        await checkpoint(true);
        return { reason, ...counts };
      } catch (error) {
        // Everything counted was acknowledged: save that progress even on the way out.
        await checkpoint(true).catch(() => undefined);
        throw error;
      } finally {
        running = false;
        clearInterval(progress);
        logger.info({ ...counts }, LogEvent.stopped);
      }
    },
    stop() {
      if (!stopRequested) logger.info({ source: config.name }, LogEvent.stopping);
      stopRequested = true;
      wake?.();
    },
    progress: () => ({ running, phase, ...counts }),
  };
}

function sameToken(offset: SourceOffset, token: unknown): boolean {
  return (
    offset.resumePoint.kind === "token" && JSON.stringify(offset.resumePoint.token) === JSON.stringify(token)
  );
}
