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
  KeyStateRecord,
  LoadedPart,
  PartRecord,
  TaskStore,
} from "../store/TaskStore.js";
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
  /** event_time of every applied event, for the end-to-end latency histogram. */
  readonly eventTimes: readonly number[];
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
 * The processing of one input partition (Kafka Streams' StreamTask): for each batch, decode, dead-letter, dedup,
 * fold every event into the model's aggregations as fenced states, write them to MongoDB in the protocol's order,
 * produce, and commit. The task knows no game: it iterates over `model.aggregations`.
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
  }

  async process(batch: PartitionBatch): Promise<BatchResult> {
    const last = batch.records.at(-1);
    if (last === undefined) return emptyResult();
    const now = this.now();
    const decoded = batch.records.map((record) => this.decode(record, now));
    const work = new BatchWork(this.partition);
    try {
      await this.load(decoded, work);
      const result = this.apply(decoded, work);
      await Promise.all([this.collector.produce(work.produced), this.write(work)]);
      await this.collector.commit([
        { topic: this.topic, partition: this.partition, offset: last.offset + 1n },
      ]);
      this.keep(work);
      return { ...result, cacheHits: work.cacheHits, cacheMisses: work.cacheMisses };
    } catch (error) {
      // Entries were changed in place; what MongoDB holds is the truth now.
      this.cache.dropPartitions(new Set([this.partition]));
      throw error;
    }
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
    for (const key of missingKeys) {
      const doc = keyDocs.get(key);
      const dedup = this.model.dedup.deduplicator;
      work.keys.set(key, {
        kind: "key",
        partition: this.partition,
        key,
        storedPartition: doc?.partition ?? this.partition,
        offset: doc?.offset ?? NEVER_WRITTEN,
        dedup: doc === undefined ? dedup.init() : dedup.codec.decode(JSON.parse(doc.dedup) as never),
        streamTime: doc?.streamTime ?? null,
        events: doc?.events ?? 0,
        duplicates: doc?.duplicates ?? 0,
        late: doc?.late ?? 0,
        dirty: false,
      });
    }
    await this.loadDocs(decoded, work);
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
    const eventTimes: number[] = [];
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
      if (!dedup.deduplicator.admit(entry.dedup, dedup.eventId(event), eventTime)) {
        duplicates += 1;
        entry.duplicates += 1;
        continue;
      }
      valid += 1;
      entry.events += 1;
      eventTimes.push(eventTime);
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
    this.produceOutput(work);
    return {
      records: decoded.length,
      valid,
      deadLettered: reasons.length,
      duplicates,
      late,
      skipped,
      deadLetterReasons: reasons,
      eventTimes,
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
    const docs = (aggregation: Aggregation<E>): AggregateRecord[] =>
      dirty(aggregation).map((d) => ({
        id: d.id,
        partition,
        offset: d.offset,
        state: encode(aggregation, d.state),
        fields: { ...d.identity, ...publicFields(aggregation, aggregation.reducer.result(d.state)) },
      }));
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
    await Promise.all([
      ...keyed.filter((a) => a.windows !== undefined).map((a) => store.writeDocs(a.collection, docs(a))),
      ...merged.map((a) => store.writeParts(a.collection, parts(a))),
    ]);
    await Promise.all([
      ...keyed.filter((a) => a.windows === undefined).map((a) => store.writeDocs(a.collection, docs(a))),
      ...merged.map((a) => store.mergeShared(a.collection, [...work.touchedOf(a)], merge(a))),
    ]);
    const keyRecords: KeyStateRecord[] = [...work.keys.values()]
      .filter((entry) => entry.dirty)
      .map((entry) => ({
        key: entry.key,
        partition,
        offset: entry.offset,
        dedup: JSON.stringify(model.dedup.deduplicator.codec.encode(entry.dedup)),
        streamTime: entry.streamTime,
        events: entry.events,
        duplicates: entry.duplicates,
        late: entry.late,
      }));
    await store.writeKeys(keyRecords);
  }

  /** After a successful write: everything is clean and goes back to the cache, except windows closed for their key. */
  private keep(work: BatchWork): void {
    for (const entry of work.keys.values()) {
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
  cacheHits = 0;
  cacheMisses = 0;
  constructor(readonly partition: number) {}

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
    eventTimes: [],
    keyPartitionMismatches: 0,
    misPartitioned: 0,
    eventTimeOutOfRange: 0,
    deadLettersTruncated: 0,
    cacheHits: 0,
    cacheMisses: 0,
  };
}
