import type { DedupState } from "@gametel/core";
import type {
  ConsumedRecord,
  PartitionBatch,
  ProducedRecord,
  TopicPartitionOffset,
} from "../engine/Engine.js";
import type { Logger } from "../ops/Logger.js";
import type {
  AggregateRecord,
  DedupDrop,
  DedupSlots,
  KeyStateRecord,
  LoadedKeyState,
  LoadedPart,
  PartRecord,
  TaskStore,
} from "../store/TaskStore.js";
import type { CommitBounds } from "./CommitInterval.js";
import { commitDue } from "./CommitInterval.js";
import { DeadLetterReasons, deadLetter, isTruncatedDeadLetter, lateRecord } from "./DeadLetter.js";
import type { EventTimeBounds } from "./EventTimeBounds.js";
import { eventTimeOutOfRange } from "./EventTimeBounds.js";
import { StateCache } from "./StateCache.js";
import type { Aggregation, StreamModel, Target, Window } from "./StreamModel.js";
import { NEVER_WRITTEN } from "./TaskState.js";
import type { DocEntry, KeyEntry } from "./TaskState.js";

/** Where a task sends records and commits (the engine, seen from one task). */
export interface RecordCollector {
  produce(records: readonly ProducedRecord[]): Promise<void>;
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
}

export interface TaskTopics {
  readonly deadLetter: string;
  /** Late events are forwarded here when set. */
  readonly late: string | null;
  /** Latest PlayerStats per touched player key when set. */
  readonly output: string | null;
}

/** What one batch did (for metrics and logs). */
export interface BatchResult {
  readonly records: number;
  readonly valid: number;
  readonly deadLettered: number;
  readonly duplicates: number;
  readonly late: number;
  /** Records whose effect MongoDB already held (replay). */
  readonly skipped: number;
  readonly deadLetterReasons: readonly string[];
  readonly keyPartitionMismatches: number;
  /** Valid events dead-lettered because they were not on their partition key's partition. */
  readonly misPartitioned: number;
  /** Valid events dead-lettered because their event_time was outside the accepted bounds. */
  readonly eventTimeOutOfRange: number;
  /** Dead letters whose value was replaced by a reference because the record was too large. */
  readonly deadLettersTruncated: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
}

/** What one commit wrote (for metrics and logs). */
export interface CommitResult {
  /** Why it committed: "interval", "records", "bytes", "cache" or "close". */
  readonly reason: string;
  /** Records consumed since the previous commit. */
  readonly records: number;
  /** event_time of every event applied since the previous commit, for the end-to-end latency histogram. */
  readonly eventTimes: readonly number[];
}

/** What the task keeps in the shared state cache. */
export type TaskCacheEntry = KeyEntry<DedupState> | DocEntry<unknown>;

export interface StreamTaskOptions<E> {
  readonly topic: string;
  readonly partition: number;
  readonly model: StreamModel<E>;
  readonly store: TaskStore;
  readonly cache: StateCache<TaskCacheEntry>;
  readonly collector: RecordCollector;
  readonly topics: TaskTopics;
  readonly logger: Logger;
  /**
   * The partitioning contract: why an event with this partition key must not be processed on `partition`, or null.
   * The processor passes `misPartitionedReason` over the input topic's partition count (PartitioningContract.ts).
   */
  readonly checkPartition: (key: string, partition: number) => string | null;
  /** Accepted event times, checked against `now()`. */
  readonly eventTimeBounds: EventTimeBounds;
  readonly now: () => number;
  /** Bound on a dead letter's bytes; larger ones carry a reference instead of the value (see `deadLetter`). */
  readonly deadLetterMaxBytes: number;
  /** The commit interval and the bounds of what may be buffered before a commit. */
  readonly commit: CommitBounds;
  /** Called after every commit. */
  readonly onCommit?: (result: CommitResult) => void;
  /** Test hook: awaited after each of the write phases 1 to 3 (a crash test kills the process there). */
  readonly afterPhase?: (phase: number) => Promise<void>;
}

/** Why a record that decoded was still refused (for metrics). */
type Refusal = "misPartitioned" | "eventTime" | null;

interface Decoded<E> {
  readonly record: ConsumedRecord;
  readonly event: E | null;
  readonly reason: string;
  readonly path: string;
  readonly refusal: Refusal;
}

const EMPTY = new Uint8Array(0);

/**
 * The processing of one input partition (Kafka Streams' StreamTask): for each batch, decode, dead-letter, dedup and
 * fold every event into the model's aggregations as fenced states held in memory; at each commit (the commit
 * interval or a buffer bound), write every dirty state once to MongoDB in the protocol's order, produce, and commit
 * the offsets. The task knows no game: it iterates over `model.aggregations`. Batches and commits of one task run one
 * at a time, in call order.
 * Invariant: a document's content is a function of this partition's records up to its `_offset`; see
 * docs/processing-design.md for why the write order (windowed documents and parts, then unwindowed documents and merges,
 * then key states) makes every replay harmless.
 */
export class StreamTask<E> {
  readonly topic: string;
  readonly partition: number;
  private readonly model: StreamModel<E>;
  private readonly store: TaskStore;
  private readonly cache: StateCache<TaskCacheEntry>;
  private readonly collector: RecordCollector;
  private readonly topics: TaskTopics;
  private readonly logger: Logger;
  private readonly checkPartition: (key: string, partition: number) => string | null;
  private readonly eventTimeBounds: EventTimeBounds;
  private readonly now: () => number;
  private readonly deadLetterMaxBytes: number;
  private readonly bounds: CommitBounds;
  private readonly onCommit: (result: CommitResult) => void;
  private readonly afterPhase: (phase: number) => Promise<void>;
  /** Everything consumed since the last commit: the dirty states, what to produce, the offset to commit. */
  private work: BatchWork;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: StreamTaskOptions<E>) {
    this.topic = options.topic;
    this.partition = options.partition;
    this.model = options.model;
    this.store = options.store;
    this.cache = options.cache;
    this.collector = options.collector;
    this.topics = options.topics;
    this.logger = options.logger;
    this.checkPartition = options.checkPartition;
    this.eventTimeBounds = options.eventTimeBounds;
    this.now = options.now;
    this.deadLetterMaxBytes = options.deadLetterMaxBytes;
    this.bounds = options.commit;
    this.onCommit = options.onCommit ?? (() => undefined);
    this.afterPhase = options.afterPhase ?? (() => Promise.resolve());
    this.work = new BatchWork(this.partition);
  }

  /** Folds a batch into the uncommitted state; commits when the interval elapsed or a bound is reached. */
  process(batch: PartitionBatch): Promise<BatchResult> {
    return this.serially(async () => {
      const result = await this.processNow(batch);
      await this.commitNow(commitDue(this.bounds, this.uncommitted(), this.now()));
      return result;
    });
  }

  /** Commits if the commit interval elapsed (the processor's timer calls it, so idle tasks commit too). */
  maybeCommit(): Promise<CommitResult | null> {
    return this.serially(() => this.commitNow(commitDue(this.bounds, this.uncommitted(), this.now())));
  }

  /** Writes and commits whatever is uncommitted (revocation, stop). */
  commit(reason = "close"): Promise<CommitResult | null> {
    return this.serially(() => this.commitNow(reason));
  }

  /** Records, bytes and pinned cache entries buffered since the last commit. */
  uncommitted(): { since: number | null; records: number; bytes: number; entries: number } {
    const { work } = this;
    return { since: work.since, records: work.records, bytes: work.bytes, entries: work.entries() };
  }

  private serially<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** On a failure nothing uncommitted is kept: MongoDB and the committed offsets are the truth again. */
  private async guarded<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.work = new BatchWork(this.partition);
      this.cache.dropPartitions(new Set([this.partition]));
      throw error;
    }
  }

  private processNow(batch: PartitionBatch): Promise<BatchResult> {
    const last = batch.records.at(-1);
    if (last === undefined) return Promise.resolve(emptyResult());
    return this.guarded(async () => {
      const now = this.now();
      const decoded = batch.records.map((record) => this.decode(record, now));
      const { work } = this;
      const hits = work.cacheHits;
      const misses = work.cacheMisses;
      await this.load(decoded, work);
      const result = this.apply(decoded, work);
      work.since ??= now;
      work.records += batch.records.length;
      for (const record of batch.records)
        work.bytes += (record.value?.length ?? 0) + (record.key?.length ?? 0);
      work.commitOffset = last.offset + 1n;
      return { ...result, cacheHits: work.cacheHits - hits, cacheMisses: work.cacheMisses - misses };
    });
  }

  /**
   * One commit: every dirty state written once (three ordered phases), dead letters, late events and the output
   * produced, then the offsets committed. Until the commit lands nothing is acknowledged, so a crash anywhere in
   * between replays from the previous commit (docs/processing-design.md).
   */
  private commitNow(reason: string | null): Promise<CommitResult | null> {
    const { work } = this;
    if (reason === null || work.commitOffset === null) return Promise.resolve(null);
    const offset = work.commitOffset;
    return this.guarded(async () => {
      this.produceOutput(work);
      await Promise.all([this.collector.produce(work.produced), this.write(work)]);
      await this.collector.commit([{ topic: this.topic, partition: this.partition, offset }]);
      this.keep(work);
      this.work = new BatchWork(this.partition);
      const result = { reason, records: work.records, eventTimes: work.eventTimes };
      this.onCommit(result);
      return result;
    });
  }

  /**
   * Decodes a record and checks it against the input contract: a valid event whose event time is out of bounds, or
   * that is not on its partition key's partition, is refused (dead-lettered) before it touches any state.
   */
  private decode(record: ConsumedRecord, now: number): Decoded<E> {
    if (record.value === null || record.value.length === 0) {
      return { record, event: null, reason: DeadLetterReasons.emptyValue, path: "", refusal: null };
    }
    const outcome = this.model.decode(record.value ?? EMPTY);
    if (!outcome.ok)
      return { record, event: null, reason: outcome.reason, path: outcome.path, refusal: null };
    const event = outcome.event;
    const outOfRange = eventTimeOutOfRange(this.model.eventTime(event), now, this.eventTimeBounds);
    if (outOfRange !== null) {
      return { record, event: null, reason: outOfRange, path: "event_time", refusal: "eventTime" };
    }
    const misPartitioned = this.checkPartition(this.model.key(event), this.partition);
    if (misPartitioned !== null) {
      return { record, event: null, reason: misPartitioned, path: "", refusal: "misPartitioned" };
    }
    return { record, event, reason: "", path: "", refusal: null };
  }

  /** Loads every state the batch needs that the cache does not hold: keys first, then one query per collection. */
  private async load(decoded: readonly Decoded<E>[], work: BatchWork): Promise<void> {
    const missingKeys = new Set<string>();
    for (const { event } of decoded) {
      if (event === null) continue;
      const key = this.model.key(event);
      if (work.keys.has(key) || missingKeys.has(key)) continue;
      const cached = this.cache.get(StateCache.key("key", this.partition, key));
      if (cached?.kind === "key") {
        work.keys.set(key, cached);
        work.cacheHits += 1;
      } else {
        missingKeys.add(key);
        work.cacheMisses += 1;
      }
    }
    const keyDocs = await this.store.loadKeys([...missingKeys]);
    const memories = await this.store.loadDedup(
      [...keyDocs.values()].map((d) => ({ key: d.key, from: d.events - d.dedupSize, to: d.events })),
    );
    for (const key of missingKeys)
      work.keys.set(key, this.keyEntry(key, keyDocs.get(key), memories.get(key)));
    await this.loadDocs(decoded, work);
  }

  /** A key's cache entry from its stored state and dedup memory (a legacy key state's memory is written anew). */
  private keyEntry(
    key: string,
    doc: LoadedKeyState | undefined,
    memory: readonly [string, number][] | undefined,
  ): KeyEntry<DedupState> {
    const dedup = this.model.dedup.deduplicator;
    const events = doc?.events ?? 0;
    let state = dedup.restore(memory ?? [], doc?.streamTime ?? null);
    let added: [string, number][] = [];
    if (doc?.legacyDedup !== undefined) {
      state = dedup.codec.decode(JSON.parse(doc.legacyDedup) as never);
      added = dedup.entries(state);
    }
    return {
      kind: "key",
      partition: this.partition,
      key,
      storedPartition: doc?.partition ?? this.partition,
      offset: doc?.offset ?? NEVER_WRITTEN,
      dedup: state,
      added,
      dedupFrom: events - dedup.size(state),
      streamTime: doc?.streamTime ?? null,
      events,
      duplicates: doc?.duplicates ?? 0,
      late: doc?.late ?? 0,
      dirty: false,
    };
  }

  /** Loads the documents (and parts) the batch's events target in windows still open for their keys. */
  private async loadDocs(decoded: readonly Decoded<E>[], work: BatchWork): Promise<void> {
    const missing = new Map<Aggregation<E>, Map<string, { key: string; window: Window | null }>>();
    for (const { event } of decoded) {
      if (event === null) continue;
      const entry = work.keys.get(this.model.key(event));
      if (entry === undefined) continue;
      for (const aggregation of this.model.aggregations) {
        for (const [target, window] of this.targets(aggregation, event, entry.key, entry.streamTime)) {
          const docs = work.docsOf(aggregation);
          if (docs.has(target.id) || missing.get(aggregation)?.has(target.id) === true) continue;
          const cached = this.cache.get(StateCache.key(docCacheKind(aggregation), this.partition, target.id));
          if (cached?.kind === "doc") {
            docs.set(target.id, cached);
            work.cacheHits += 1;
          } else {
            let ids = missing.get(aggregation);
            if (ids === undefined) missing.set(aggregation, (ids = new Map()));
            ids.set(target.id, { key: entry.key, window });
            work.cacheMisses += 1;
          }
        }
      }
    }
    await Promise.all(
      [...missing].map(async ([aggregation, ids]) => {
        const stored =
          aggregation.owner === "key"
            ? await this.store.loadDocs(aggregation.collection, [...ids.keys()])
            : await this.store.loadParts(aggregation.collection, this.partition, [...ids.keys()]);
        const docs = work.docsOf(aggregation);
        for (const [id, { key, window }] of ids) {
          const doc = stored.get(id);
          docs.set(id, {
            kind: "doc",
            partition: this.partition,
            aggregation: aggregation.name,
            id,
            key: aggregation.owner === "key" ? key : null,
            window,
            identity: {},
            offset: doc?.offset ?? NEVER_WRITTEN,
            state:
              doc === undefined
                ? aggregation.reducer.init()
                : aggregation.reducer.codec.decode(JSON.parse(doc.state) as never),
            dirty: false,
          });
        }
      }),
    );
  }

  /**
   * The documents an event targets in an aggregation, with their windows. Windowed aggregations skip windows closed
   * for the key at `streamTime` (nothing but a late event would touch them); `streamTime` undefined keeps them all.
   */
  private targets(
    aggregation: Aggregation<E>,
    event: E,
    key: string,
    streamTime: number | null | undefined,
  ): [Target, Window | null][] {
    const target = (window: Window | null): Target | null =>
      aggregation.owner === "key"
        ? aggregation.target(event, key, window)
        : aggregation.target(event, window);
    const windows = aggregation.windows;
    if (windows === undefined) {
      const t = target(null);
      return t === null ? [] : [[t, null]];
    }
    const result: [Target, Window | null][] = [];
    const of = windows.windowsOf?.(event) ?? [this.model.lateness.window(this.model.eventTime(event))];
    for (const w of of) {
      if (streamTime !== undefined && this.isClosed(w, streamTime)) continue;
      const t = target(w);
      if (t !== null) result.push([t, w]);
    }
    return result;
  }

  private isClosed(window: Window, streamTime: number | null): boolean {
    return streamTime !== null && window.end + this.model.lateness.graceMs <= streamTime;
  }

  /** Applies the batch in offset order to the loaded states; collects what to produce. */
  private apply(
    decoded: readonly Decoded<E>[],
    work: BatchWork,
  ): Omit<BatchResult, "cacheHits" | "cacheMisses"> {
    let valid = 0;
    let duplicates = 0;
    let late = 0;
    let skipped = 0;
    let mismatches = 0;
    let misPartitioned = 0;
    let eventTimeRefused = 0;
    let truncated = 0;
    const reasons: string[] = [];
    const { dedup } = this.model;
    for (const { record, event, reason, path, refusal } of decoded) {
      if (event === null) {
        const letter = deadLetter(this.topics.deadLetter, record, reason, path, this.deadLetterMaxBytes);
        if (isTruncatedDeadLetter(letter)) truncated += 1;
        if (refusal === "misPartitioned") misPartitioned += 1;
        else if (refusal === "eventTime") eventTimeRefused += 1;
        work.produced.push(letter);
        reasons.push(reason);
        continue;
      }
      const entry = work.keys.get(this.model.key(event));
      if (entry === undefined) throw new Error("internal: key entry not loaded");
      const eventTime = this.model.eventTime(event);
      if (record.offset <= entry.offset) {
        // Already applied; still merge the shared docs it touched (heals a crash between part write and merge).
        skipped += 1;
        for (const aggregation of this.model.aggregations) {
          if (aggregation.owner !== "partitions") continue;
          for (const [target] of this.targets(aggregation, event, entry.key, undefined))
            work.touchedOf(aggregation).add(target.id);
        }
        continue;
      }
      if (entry.storedPartition !== this.partition) {
        mismatches += 1;
        this.logger.error(
          { key: entry.key, partition: this.partition, storedPartition: entry.storedPartition },
          "key seen on two partitions: producers must use the murmur2 partitioner",
        );
        entry.storedPartition = this.partition;
      }
      entry.offset = record.offset;
      entry.dirty = true;
      const eventId = dedup.eventId(event);
      if (!dedup.deduplicator.admit(entry.dedup, eventId, eventTime)) {
        duplicates += 1;
        entry.duplicates += 1;
        continue;
      }
      entry.added.push([eventId, eventTime]);
      valid += 1;
      entry.events += 1;
      work.eventTimes.push(eventTime);
      const streamTimeBefore = entry.streamTime;
      const isLate = this.isClosed(this.model.lateness.window(eventTime), streamTimeBefore);
      if (streamTimeBefore === null || eventTime > streamTimeBefore) entry.streamTime = eventTime;
      if (isLate) {
        late += 1;
        entry.late += 1;
        if (this.topics.late !== null) work.produced.push(lateRecord(this.topics.late, record));
      }
      for (const aggregation of this.model.aggregations) {
        for (const [target, window] of this.targets(aggregation, event, entry.key, streamTimeBefore)) {
          const doc = work.docsOf(aggregation).get(target.id);
          if (doc === undefined) throw new Error(`internal: ${aggregation.name} state not loaded`);
          if (aggregation.owner === "partitions") work.touchedOf(aggregation).add(target.id);
          doc.identity = target.identity;
          if (record.offset <= doc.offset) continue;
          const reduceIn = aggregation.windows?.reduceIn;
          doc.state =
            window !== null && reduceIn !== undefined
              ? reduceIn(doc.state, event, window)
              : aggregation.reducer.reduce(doc.state, event);
          doc.offset = record.offset;
          doc.dirty = true;
        }
      }
    }
    return {
      records: decoded.length,
      valid,
      deadLettered: reasons.length,
      duplicates,
      late,
      skipped,
      deadLetterReasons: reasons,
      keyPartitionMismatches: mismatches,
      misPartitioned,
      eventTimeOutOfRange: eventTimeRefused,
      deadLettersTruncated: truncated,
    };
  }

  /** The latest result of the output aggregation, per document it changed, keyed by the document id. */
  private produceOutput(work: BatchWork): void {
    const output = this.model.output;
    if (output === undefined || this.topics.output === null) return;
    const aggregation = this.model.aggregations.find((a) => a.name === output.aggregation);
    if (aggregation === undefined) return;
    for (const doc of work.docsOf(aggregation).values()) {
      if (doc.dirty)
        work.produced.push({ topic: this.topics.output, key: doc.id, value: output.value(doc.state) });
    }
  }

  /**
   * Writes in the protocol's order: windowed documents and parts, then unwindowed documents and merges, then key
   * states (the marker that the batch's decisions are durable).
   */
  private async write(work: BatchWork): Promise<void> {
    const { model, store, partition } = this;
    const dirty = (aggregation: Aggregation<E>) =>
      [...work.docsOf(aggregation).values()].filter((d) => d.dirty);
    const encode = (aggregation: Aggregation<E>, state: unknown): string =>
      JSON.stringify(aggregation.reducer.codec.encode(state));
    // Keyed documents: a document this task wrote before (confirmed) gets a field delta; the store answers which
    // documents now hold their record, and those are what the next delta starts from.
    const writeDocs = async (aggregation: Aggregation<E>): Promise<void> => {
      const entries = dirty(aggregation);
      const records: AggregateRecord[] = entries.map((d) => ({
        id: d.id,
        partition,
        offset: d.offset,
        state: encode(aggregation, d.state),
        fields: { ...d.identity, ...publicFields(aggregation, aggregation.reducer.result(d.state)) },
        ...(d.written === undefined ? {} : { written: d.written }),
      }));
      const applied = await store.writeDocs(aggregation.collection, records);
      entries.forEach((d, i) => {
        d.written = applied.has(d.id) ? { offset: d.offset, fields: records[i]!.fields } : undefined;
      });
    };
    const parts = (aggregation: Aggregation<E>): PartRecord[] =>
      dirty(aggregation).map((d) => ({
        id: d.id,
        partition,
        offset: d.offset,
        identity: d.identity,
        state: encode(aggregation, d.state),
      }));
    const merge = (aggregation: Aggregation<E>) => (_id: string, loaded: readonly LoadedPart[]) => {
      const { reducer } = aggregation;
      let whole: unknown = reducer.init();
      for (const part of loaded)
        whole = reducer.merge(whole, reducer.codec.decode(JSON.parse(part.state) as never));
      return publicFields(aggregation, reducer.result(whole));
    };
    const keyed = model.aggregations.filter((a) => a.owner === "key");
    const merged = model.aggregations.filter((a) => a.owner === "partitions");
    const dirtyKeys = [...work.keys.values()].filter((entry) => entry.dirty);
    const slots: DedupSlots[] = dirtyKeys
      .filter((entry) => entry.added.length > 0)
      .map((entry) => ({ key: entry.key, from: entry.events - entry.added.length, ids: entry.added }));
    await Promise.all([
      store.writeDedup(slots),
      ...keyed.filter((a) => a.windows !== undefined).map(writeDocs),
      ...merged.map((a) => store.writeParts(a.collection, parts(a))),
    ]);
    await this.afterPhase(1);
    await Promise.all([
      ...keyed.filter((a) => a.windows === undefined).map(writeDocs),
      ...merged.map((a) => store.mergeShared(a.collection, [...work.touchedOf(a)], merge(a))),
    ]);
    await this.afterPhase(2);
    const dedupSize = (entry: KeyEntry<DedupState>) => model.dedup.deduplicator.size(entry.dedup);
    const keyRecords: KeyStateRecord[] = dirtyKeys.map((entry) => ({
      key: entry.key,
      partition,
      offset: entry.offset,
      dedupSize: dedupSize(entry),
      streamTime: entry.streamTime,
      events: entry.events,
      duplicates: entry.duplicates,
      late: entry.late,
    }));
    await store.writeKeys(keyRecords);
    // Only slots the written key states no longer count are dropped: a replay never needs them.
    const drops: DedupDrop[] = dirtyKeys.map((entry) => ({
      key: entry.key,
      before: entry.dedupFrom,
      below: entry.events - dedupSize(entry),
    }));
    await store.dropDedup(drops);
    await this.afterPhase(3);
  }

  /** After a successful write: everything is clean and goes back to the cache, except windows closed for their key. */
  private keep(work: BatchWork): void {
    for (const entry of work.keys.values()) {
      if (entry.dirty) {
        entry.added = [];
        entry.dedupFrom = entry.events - this.model.dedup.deduplicator.size(entry.dedup);
      }
      entry.dirty = false;
      this.cache.set(StateCache.key("key", this.partition, entry.key), entry);
    }
    for (const aggregation of this.model.aggregations) {
      const kind = docCacheKind(aggregation);
      for (const doc of work.docsOf(aggregation).values()) {
        doc.dirty = false;
        const cacheKey = StateCache.key(kind, this.partition, doc.id);
        const owner = doc.key === null ? undefined : work.keys.get(doc.key);
        if (doc.window !== null && owner !== undefined && this.isClosed(doc.window, owner.streamTime))
          this.cache.delete(cacheKey);
        else this.cache.set(cacheKey, doc);
      }
    }
  }
}

/** The cache kind of an aggregation's documents (the partition and id complete the cache key). */
const docCacheKind = (aggregation: { readonly name: string }): string => `doc:${aggregation.name}`;

function publicFields<E>(aggregation: Aggregation<E>, result: unknown): Readonly<Record<string, unknown>> {
  return aggregation.fields === undefined
    ? { ...(result as Record<string, unknown>) }
    : aggregation.fields(result);
}

class BatchWork {
  readonly keys = new Map<string, KeyEntry<DedupState>>();
  private readonly docs = new Map<string, Map<string, DocEntry<unknown>>>();
  private readonly touched = new Map<string, Set<string>>();
  readonly produced: ProducedRecord[] = [];
  readonly eventTimes: number[] = [];
  cacheHits = 0;
  cacheMisses = 0;
  /** When the first batch since the last commit was processed. */
  since: number | null = null;
  records = 0;
  bytes = 0;
  /** The next offset to read once this work is committed; null before any batch. */
  commitOffset: bigint | null = null;
  constructor(readonly partition: number) {}

  /** States held (pinned until the commit writes them). */
  entries(): number {
    let n = this.keys.size;
    for (const docs of this.docs.values()) n += docs.size;
    return n;
  }

  /** This batch's documents of an aggregation (keyed documents or this partition's parts), by id. */
  docsOf(aggregation: { readonly name: string }): Map<string, DocEntry<unknown>> {
    let docs = this.docs.get(aggregation.name);
    if (docs === undefined) this.docs.set(aggregation.name, (docs = new Map()));
    return docs;
  }

  /** Shared documents of a merged aggregation to merge after this batch's part writes. */
  touchedOf(aggregation: { readonly name: string }): Set<string> {
    let ids = this.touched.get(aggregation.name);
    if (ids === undefined) this.touched.set(aggregation.name, (ids = new Set()));
    return ids;
  }
}

function emptyResult(): BatchResult {
  return {
    records: 0,
    valid: 0,
    deadLettered: 0,
    duplicates: 0,
    late: 0,
    skipped: 0,
    deadLetterReasons: [],
    keyPartitionMismatches: 0,
    misPartitioned: 0,
    eventTimeOutOfRange: 0,
    deadLettersTruncated: 0,
    cacheHits: 0,
    cacheMisses: 0,
  };
}
