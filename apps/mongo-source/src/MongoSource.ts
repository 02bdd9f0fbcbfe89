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
import {
  advancesIdleStreams,
  captureResumePoint,
  describeResumePoint,
  newestOplogTime,
} from "./internal/resumePoint.js";
import { isMongoOutage, isResumePointError, ResumePointLostError } from "./changeStreamErrors.js";
import {
  createMongoOffsetStore,
  type CopySince,
  type OffsetStore,
  type SourceOffset,
} from "./OffsetStore.js";
import { copyPageFilter, recoveryArguments, suggestCopySince } from "./copySince.js";
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
  /** Saved resume points the server refused in this run (ChangeStreamHistoryLost and kin). */
  readonly resumePointsLost: number;
  /** Change streams reopened after MongoDB was unreachable in this run. */
  readonly mongoReconnects: number;
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
  readonly resumePointsLost: number;
  readonly mongoReconnects: number;
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
/** With --on-resume-lost recopy: more lost resume points than this in one run and the source gives up. */
const MAX_RECOPIES_PER_RUN = 5;

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
  const counts = {
    events: 0,
    deadLetters: 0,
    copied: 0,
    checkpoints: 0,
    resumePointsLost: 0,
    mongoReconnects: 0,
  };
  /** When MongoDB became unreachable (null while it answers): the patience counts from here. */
  let outageSince: number | null = null;
  let phase: SourceOffset["phase"] = "stream";
  let running = false;

  // Offset bookkeeping: `offset` is the newest acknowledged position, `dirty` when it is not saved yet.
  let offset: SourceOffset | null = null;
  let dirty = false;
  let unsavedDocuments = 0;
  let lastSaveAt = now();
  /** When the newest offset was saved (loaded or in this run): the suggested recovery starts before it. */
  let lastSavedAt: Date | null = null;

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
    lastSavedAt = new Date(lastSaveAt);
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
      lastSavedAt = saved.savedAt;
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
      if ((config.copyExisting || config.copySince !== null) && saved.phase === "stream")
        logger.warn({ source: config.name }, LogEvent.copyIgnored);
      return saved;
    }
    // First run: fix the starting point and save it before reading anything, so that a crash from here on
    // resumes from it. With --copy-existing it is taken BEFORE the copy, so inserts during the copy are streamed.
    const copySince =
      config.copySince === null ? null : { field: config.copySinceField, at: config.copySince };
    const first = await freshOffset(config.copyExisting || copySince !== null, copySince);
    await offsets.save(first);
    logger.info(
      { source: config.name, phase: first.phase, at: describeResumePoint(first.resumePoint) },
      LogEvent.resumePointCaptured,
    );
    return first;
  }

  async function freshOffset(copy: boolean, copySince: CopySince | null): Promise<SourceOffset> {
    const resumePoint = await captureResumePoint(client, db);
    return {
      namespace,
      phase: copy ? "copy" : "stream",
      resumePoint,
      copyLastId: null,
      copied: 0,
      copySince,
    };
  }

  /** The loud part of a lost resume point: the counter and one error line with the recovery command. */
  function reportLost(error: ResumePointLostError, since: Date): void {
    counts.resumePointsLost += 1;
    logger.error(
      {
        source: config.name,
        code: error.serverCode,
        server_message: error.serverMessage,
        last_saved_at: lastSavedAt?.toISOString() ?? null,
        copy_since: since.toISOString(),
        recovery: `gametel-mongo-source ${error.recovery}`,
        policy: config.onResumeLost,
      },
      LogEvent.resumePointLost,
    );
  }

  /**
   * MongoDB did not answer (restart, failover): wait and let the loop reopen the stream from the newest
   * acknowledged position, which either resumes exactly or reports a lost resume point. Beyond the patience the
   * error ends the run.
   */
  async function waitOutOutage(error: unknown): Promise<void> {
    const at = now();
    outageSince ??= at;
    if (at - outageSince > config.mongoPatienceMs) throw error;
    counts.mongoReconnects += 1;
    logger.warn(
      {
        source: config.name,
        err: error instanceof Error ? error.message : String(error),
        down_ms: at - outageSince,
        patience_ms: config.mongoPatienceMs,
      },
      LogEvent.mongoUnreachable,
    );
    await sleep(Math.min(1000 * 2 ** Math.min(counts.mongoReconnects, 3), 5000));
  }

  /** --on-resume-lost recopy: forget the offset, copy the documents since `since`, stream from now. */
  async function recopyFrom(since: Date): Promise<SourceOffset> {
    const next = await freshOffset(true, { field: config.copySinceField, at: since });
    await offsets.save(next);
    logger.warn({ source: config.name, copy_since: since.toISOString() }, LogEvent.recopyStarted);
    return next;
  }

  async function copyExisting(from: SourceOffset): Promise<StopReason | null> {
    const since = from.copySince ?? null;
    logger.info(
      {
        source: config.name,
        after_id: from.copyLastId ?? null,
        copied: from.copied,
        ...(since === null ? {} : { copy_since: since.at.toISOString(), copy_since_field: since.field }),
      },
      LogEvent.copyStarted,
    );
    let current = from;
    while (!stopRequested) {
      const limit = Math.min(config.batchSize, remaining());
      if (limit <= 0) return "max-events";
      const filter: Filter<Document> = copyPageFilter(current.copyLastId, since);
      const documents = await collection.find(filter).sort({ _id: 1 }).limit(limit).toArray();
      if (documents.length === 0) {
        current = { ...current, phase: "stream", copyLastId: null, copySince: null };
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
    let lastToken = from.resumePoint.kind === "token" ? JSON.stringify(from.resumePoint.token) : null;
    // Without post-batch resume tokens (mongo-java-server) an idle stream's token never moves, and the saved
    // point falls out of the oplog window while nothing happens. There the source moves it itself: to the
    // newest oplog time read before the PREVIOUS empty poll (every change up to it has had a whole poll
    // interval to become visible, and the poll after it returned nothing of ours).
    const selfAdvance = !(await advancesIdleStreams(db));
    let idleMark: SourceOffset["resumePoint"] | null = null;
    try {
      while (!stopRequested) {
        const limit = Math.min(config.batchSize, remaining());
        if (limit <= 0) return "max-events";
        const documents: Document[] = [];
        const askedAt = now();
        const markBeforePoll = selfAdvance && emptyPolls > 0 ? await newestOplogTime(client) : null;
        while (documents.length < limit) {
          const change = await stream.tryNext();
          outageSince = null;
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
        const tokenJson = token === null || token === undefined ? null : JSON.stringify(token);
        if (tokenJson !== null && (documents.length > 0 || tokenJson !== lastToken)) {
          lastToken = tokenJson;
          current = { ...current, phase: "stream", resumePoint: { kind: "token", token } };
          advance(current, documents.length);
          idleMark = null;
        } else if (documents.length === 0 && selfAdvance) {
          if (
            idleMark !== null &&
            describeResumePoint(idleMark) !== describeResumePoint(current.resumePoint)
          ) {
            current = { ...current, phase: "stream", resumePoint: idleMark };
            advance(current, 0);
          }
          idleMark =
            markBeforePoll === null ? null : { kind: "operationTime", operationTime: markBeforePoll };
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
        const since = suggestCopySince(lastSavedAt, new Date(now()));
        throw new ResumePointLostError(
          config.name,
          e.message,
          e.code,
          recoveryArguments(config.name, since, config.copySinceField),
        );
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
        for (;;) {
          if (current.phase === "copy") {
            phase = "copy";
            reason = await copyExisting(current);
            current = offset;
          }
          if (reason !== null) break;
          phase = "stream";
          try {
            reason = stopRequested ? "stopped" : await follow(current);
            break;
          } catch (error) {
            if (isMongoOutage(error) && !stopRequested) {
              current = offset ?? current;
              await waitOutOutage(error);
              continue;
            }
            if (!(error instanceof ResumePointLostError)) throw error;
            const since = suggestCopySince(lastSavedAt, new Date(now()));
            reportLost(error, since);
            if (config.onResumeLost !== "recopy" || counts.resumePointsLost > MAX_RECOPIES_PER_RUN)
              throw error;
            current = await recopyFrom(since);
            offset = current;
            dirty = false;
          }
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
