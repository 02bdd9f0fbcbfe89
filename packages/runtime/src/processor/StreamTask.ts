import type {
  ConsumedRecord,
  PartitionBatch,
  ProducedRecord,
  TopicPartitionOffset,
} from "../engine/Engine.js";
import type { Logger } from "../ops/Logger.js";
import type { KeyStateRecord, SharedKind, TaskStore } from "../store/TaskStore.js";
import { DeadLetterReasons, deadLetter, isTruncatedDeadLetter, lateRecord } from "./DeadLetter.js";
import type { EventTimeBounds } from "./EventTimeBounds.js";
import { eventTimeOutOfRange } from "./EventTimeBounds.js";
import { StateCache } from "./StateCache.js";
import type { StreamModel, Window } from "./StreamModel.js";
import { NEVER_WRITTEN } from "./TaskState.js";
import type { KeyEntry, PartEntry } from "./TaskState.js";

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the task is generic over the model's opaque states
type AnyModel<E> = StreamModel<E, any, any, any, any, any>;
/** What the task keeps in the shared state cache. */
export type TaskCacheEntry = KeyEntry<unknown, unknown, unknown> | PartEntry<unknown>;

export interface StreamTaskOptions<E> {
  readonly topic: string;
  readonly partition: number;
  readonly model: AnyModel<E>;
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
 * aggregate into fenced states, write them to MongoDB in the protocol's order, produce, and commit.
 * Invariant: a document's content is a function of this partition's records up to its `_offset`; see
 * processing-design.md for why the write order (windows and parts, then players and merges, then key states) makes
 * every replay harmless.
 */
export class StreamTask<E> {
  readonly topic: string;
  readonly partition: number;
  private readonly model: AnyModel<E>;
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

  /** Loads, with one query per collection, every state the batch needs that the cache does not hold. */
  private async load(decoded: readonly Decoded<E>[], work: BatchWork): Promise<void> {
    const missingKeys = new Set<string>();
    const playerKeys = new Set<string>();
    for (const { event } of decoded) {
      if (event === null) continue;
      const key = this.model.key(event);
      if (this.model.player(event) !== null) playerKeys.add(key);
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
    const needPlayers = [...playerKeys].filter((k) => work.keys.get(k)?.player === undefined);
    const [keyDocs, playerDocs] = await Promise.all([
      this.store.loadKeys([...missingKeys]),
      this.store.loadAggregates("players", needPlayers),
    ]);
    for (const key of missingKeys) {
      const doc = keyDocs.get(key);
      work.keys.set(key, {
        kind: "key",
        partition: this.partition,
        key,
        storedPartition: doc?.partition ?? this.partition,
        offset: doc?.offset ?? NEVER_WRITTEN,
        dedup: doc === undefined ? this.model.dedup.init() : this.model.dedup.decode(doc.dedup),
        streamTime: doc?.streamTime ?? null,
        events: doc?.events ?? 0,
        duplicates: doc?.duplicates ?? 0,
        late: doc?.late ?? 0,
        dirty: false,
        player: undefined,
        windows: new Map(),
      });
    }
    for (const key of needPlayers) {
      const entry = work.keys.get(key);
      const doc = playerDocs.get(key);
      if (entry === undefined) continue;
      entry.player = {
        offset: doc?.offset ?? NEVER_WRITTEN,
        state: doc === undefined ? this.model.playerStats.init() : this.model.playerStats.decode(doc.state),
        dirty: false,
        identity: {},
      };
    }
    await this.loadWindowsAndParts(decoded, work);
  }

  private async loadWindowsAndParts(decoded: readonly Decoded<E>[], work: BatchWork): Promise<void> {
    const windowIds = new Map<string, { entry: KeyEntry<unknown, unknown, unknown>; window: Window }>();
    const partIds: Record<SharedKind, Set<string>> = { matches: new Set(), servers: new Set() };
    for (const { event } of decoded) {
      if (event === null) continue;
      const entry = work.keys.get(this.model.key(event));
      if (entry === undefined) continue;
      const window = this.model.window(this.model.eventTime(event));
      const open = !this.isClosed(window, entry.streamTime);
      if (this.model.player(event) !== null) {
        for (const w of this.model.playerWindow.windowsOf(event)) {
          if (!this.isClosed(w, entry.streamTime) && !entry.windows.has(w.start)) {
            windowIds.set(windowId(entry.key, w), { entry, window: w });
          }
        }
      }
      const match = this.model.match(event);
      if (match !== null) this.needPart(work, "matches", match.id, partIds);
      const server = open ? this.model.server(event, window) : null;
      if (server !== null) this.needPart(work, "servers", server.id, partIds);
    }
    const [windowDocs, matchDocs, serverDocs] = await Promise.all([
      this.store.loadAggregates("windows", [...windowIds.keys()]),
      this.store.loadParts("matches", this.partition, [...partIds.matches]),
      this.store.loadParts("servers", this.partition, [...partIds.servers]),
    ]);
    for (const [id, { entry, window }] of windowIds) {
      const doc = windowDocs.get(id);
      entry.windows.set(window.start, {
        window,
        offset: doc?.offset ?? NEVER_WRITTEN,
        state: doc === undefined ? this.model.playerWindow.init() : this.model.playerWindow.decode(doc.state),
        dirty: false,
      });
    }
    const addParts = (kind: SharedKind, docs: ReadonlyMap<string, { offset: bigint; state: string }>) => {
      const aggregator = kind === "matches" ? this.model.matchStats : this.model.serverPerf;
      for (const id of partIds[kind]) {
        const doc = docs.get(id);
        work.parts[kind].set(id, {
          kind: kind === "matches" ? "match" : "server",
          partition: this.partition,
          id,
          identity: {},
          offset: doc?.offset ?? NEVER_WRITTEN,
          state: doc === undefined ? aggregator.init() : aggregator.decode(doc.state),
          dirty: false,
        });
      }
    };
    addParts("matches", matchDocs);
    addParts("servers", serverDocs);
  }

  private needPart(
    work: BatchWork,
    kind: SharedKind,
    id: string,
    missing: Record<SharedKind, Set<string>>,
  ): void {
    if (work.parts[kind].has(id) || missing[kind].has(id)) return;
    const cached = this.cache.get(StateCache.key(kind, this.partition, id));
    if (cached !== undefined && cached.kind !== "key") {
      work.parts[kind].set(id, cached);
      work.cacheHits += 1;
    } else {
      missing[kind].add(id);
      work.cacheMisses += 1;
    }
  }

  private isClosed(window: Window, streamTime: number | null): boolean {
    return streamTime !== null && window.end + this.model.graceMs <= streamTime;
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
      const window = this.model.window(eventTime);
      const match = this.model.match(event);
      if (record.offset <= entry.offset) {
        // Already applied; still merge the shared docs it touched (heals a crash between part write and merge).
        skipped += 1;
        if (match !== null) work.touched.matches.add(match.id);
        const server = this.model.server(event, window);
        if (server !== null) work.touched.servers.add(server.id);
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
      if (!this.model.dedup.admit(entry.dedup, event)) {
        duplicates += 1;
        entry.duplicates += 1;
        continue;
      }
      valid += 1;
      entry.events += 1;
      eventTimes.push(eventTime);
      const streamTimeBefore = entry.streamTime;
      const isLate = this.isClosed(window, streamTimeBefore);
      if (streamTimeBefore === null || eventTime > streamTimeBefore) entry.streamTime = eventTime;
      if (isLate) {
        late += 1;
        entry.late += 1;
        if (this.topics.late !== null) work.produced.push(lateRecord(this.topics.late, record));
      }
      const identity = this.model.player(event);
      if (identity !== null) this.applyPlayer(entry, identity, event, streamTimeBefore, record.offset);
      if (match !== null) {
        work.touched.matches.add(match.id);
        this.applyPart(
          work.parts.matches.get(match.id),
          match.identity,
          event,
          record.offset,
          this.model.matchStats,
        );
      }
      const server = isLate ? null : this.model.server(event, window);
      if (server !== null) {
        work.touched.servers.add(server.id);
        this.applyPart(
          work.parts.servers.get(server.id),
          server.identity,
          event,
          record.offset,
          this.model.serverPerf,
        );
      }
    }
    for (const entry of work.keys.values()) {
      if (entry.player?.dirty === true && this.topics.output !== null) {
        work.produced.push({
          topic: this.topics.output,
          key: entry.key,
          value: this.model.playerStats.output(entry.player.state),
        });
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
      eventTimes,
      keyPartitionMismatches: mismatches,
      misPartitioned,
      eventTimeOutOfRange: eventTimeRefused,
      deadLettersTruncated: truncated,
    };
  }

  private applyPlayer(
    entry: KeyEntry<unknown, unknown, unknown>,
    identity: Readonly<Record<string, unknown>>,
    event: E,
    streamTimeBefore: number | null,
    offset: bigint,
  ): void {
    const player = entry.player;
    if (player === undefined) throw new Error("internal: player state not loaded");
    player.identity = identity;
    for (const w of this.model.playerWindow.windowsOf(event)) {
      if (this.isClosed(w, streamTimeBefore)) continue;
      const target = entry.windows.get(w.start);
      if (target === undefined) throw new Error("internal: window state not loaded");
      if (offset <= target.offset) continue;
      target.state = this.model.playerWindow.reduceIn(target.state, event, w);
      target.offset = offset;
      target.dirty = true;
    }
    if (offset > player.offset) {
      player.state = this.model.playerStats.reduce(player.state, event);
      player.offset = offset;
      player.dirty = true;
    }
  }

  private applyPart(
    part: PartEntry<unknown> | undefined,
    identity: Readonly<Record<string, unknown>>,
    event: E,
    offset: bigint,
    aggregator: { reduce(state: unknown, event: E): unknown },
  ): void {
    if (part === undefined) throw new Error("internal: part state not loaded");
    part.identity = identity;
    if (offset <= part.offset) return;
    part.state = aggregator.reduce(part.state, event);
    part.offset = offset;
    part.dirty = true;
  }

  /** Writes in the protocol's order: windows and parts, then players and merges, then key states (the marker). */
  private async write(work: BatchWork): Promise<void> {
    const { model, store, partition } = this;
    const keys = [...work.keys.values()];
    const windows = keys.flatMap((entry) =>
      [...entry.windows.values()]
        .filter((w) => w.dirty)
        .map((w) => ({
          id: windowId(entry.key, w.window),
          partition,
          offset: w.offset,
          state: model.playerWindow.encode(w.state),
          fields: {
            ...(entry.player?.identity ?? {}),
            window_start: new Date(w.window.start),
            window_end: new Date(w.window.end),
            ...model.playerWindow.fields(w.state),
          },
        })),
    );
    const parts = (kind: SharedKind) =>
      [...work.parts[kind].values()]
        .filter((p) => p.dirty)
        .map((p) => ({
          id: p.id,
          partition,
          offset: p.offset,
          identity: p.identity,
          state: (kind === "matches" ? model.matchStats : model.serverPerf).encode(p.state),
        }));
    await Promise.all([
      store.writeAggregates("windows", windows),
      store.writeParts("matches", parts("matches")),
      store.writeParts("servers", parts("servers")),
    ]);
    const players = keys.flatMap((entry) => {
      const player = entry.player;
      if (player === undefined || !player.dirty) return [];
      return [
        {
          id: entry.key,
          partition,
          offset: player.offset,
          state: model.playerStats.encode(player.state),
          fields: { ...player.identity, ...model.playerStats.fields(player.state) },
        },
      ];
    });
    const merge =
      (aggregator: { decode(s: string): unknown; mergeFields(states: readonly unknown[]): object }) =>
      (_id: string, loaded: readonly { state: string }[]) =>
        aggregator.mergeFields(loaded.map((p) => aggregator.decode(p.state))) as Readonly<
          Record<string, unknown>
        >;
    await Promise.all([
      store.writeAggregates("players", players),
      store.mergeShared("matches", [...work.touched.matches], merge(model.matchStats)),
      store.mergeShared("servers", [...work.touched.servers], merge(model.serverPerf)),
    ]);
    const keyRecords: KeyStateRecord[] = keys
      .filter((entry) => entry.dirty)
      .map((entry) => ({
        key: entry.key,
        partition,
        offset: entry.offset,
        dedup: model.dedup.encode(entry.dedup),
        streamTime: entry.streamTime,
        events: entry.events,
        duplicates: entry.duplicates,
        late: entry.late,
      }));
    await store.writeKeys(keyRecords);
  }

  /** After a successful write: everything is clean; closed windows go; entries go back to the cache. */
  private keep(work: BatchWork): void {
    for (const entry of work.keys.values()) {
      entry.dirty = false;
      if (entry.player !== undefined) entry.player.dirty = false;
      for (const [start, w] of entry.windows) {
        w.dirty = false;
        if (this.isClosed(w.window, entry.streamTime)) entry.windows.delete(start);
      }
      this.cache.set(StateCache.key("key", this.partition, entry.key), entry);
    }
    for (const kind of ["matches", "servers"] as const) {
      for (const part of work.parts[kind].values()) {
        part.dirty = false;
        this.cache.set(StateCache.key(kind, this.partition, part.id), part);
      }
    }
  }
}

/** `_id` of a player window document: the player key and the window start in epoch ms. */
export const windowId = (key: string, window: Window): string => `${key}|${window.start}`;

class BatchWork {
  readonly keys = new Map<string, KeyEntry<unknown, unknown, unknown>>();
  readonly parts: Record<SharedKind, Map<string, PartEntry<unknown>>> = {
    matches: new Map(),
    servers: new Map(),
  };
  readonly touched: Record<SharedKind, Set<string>> = { matches: new Set(), servers: new Set() };
  readonly produced: ProducedRecord[] = [];
  cacheHits = 0;
  cacheMisses = 0;
  constructor(readonly partition: number) {}
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
