/**
 * Deduplication by `event_id`, per key, with bounded memory and a JSON codec.
 *
 * The bound (defaults in brackets). For each key the state remembers an `event_id` while
 * (a) fewer than `windowEvents` [10,000] ids were added for the key after it, OR
 * (b) its `event_time` is at least the key's newest `event_time` minus `windowMs` [600,000 = 10 min],
 * and in any case at most `maxEntries` [100,000] ids (oldest additions are dropped first).
 * Guarantee: a duplicate of an id added earlier for the same key is recognised when fewer than `maxEntries`
 * ids were added in between and either fewer than `windowEvents` ids were added in between or the
 * original's `event_time` is within `windowMs` of the newest `event_time` added for the key so far.
 * Memory per key: at most `maxEntries` ids; in steady state max(`windowEvents`, ids in the last `windowMs`).
 * Encoded size: about 36 bytes per remembered id.
 * Ids are UUIDs compared case-insensitively (the decoder guarantees `event_id` is a UUID).
 *
 * @module Dedup
 */
import { arr, field, int, nullable, obj, str, version } from "./internal/json.js";
import { isUuidString } from "./internal/predicates.js";
import { type JsonValue, StateCodecError, type StateCodec } from "./Reducer.js";

/**
 * Default time bound: 10 minutes of event time.
 *
 * @example
 * import { deduplicator, DEFAULT_DEDUP_WINDOW_MS } from "@gametel/core";
 * deduplicator({ windowMs: DEFAULT_DEDUP_WINDOW_MS });
 */
export const DEFAULT_DEDUP_WINDOW_MS = 600_000;
/**
 * Default count bound: 10,000 events of the same key.
 *
 * @example
 * import { deduplicator, DEFAULT_DEDUP_WINDOW_EVENTS } from "@gametel/core";
 * deduplicator({ windowEvents: DEFAULT_DEDUP_WINDOW_EVENTS });
 */
export const DEFAULT_DEDUP_WINDOW_EVENTS = 10_000;
/**
 * Default hard cap of remembered ids per key.
 *
 * @example
 * import { deduplicator, DEFAULT_DEDUP_MAX_ENTRIES } from "@gametel/core";
 * deduplicator({ maxEntries: DEFAULT_DEDUP_MAX_ENTRIES });
 */
export const DEFAULT_DEDUP_MAX_ENTRIES = 100_000;

/**
 * Bounds of a `Deduplicator` (see the module documentation for the exact guarantee).
 *
 * @example
 * import { deduplicator, type DedupOptions } from "@gametel/core";
 * const opts: DedupOptions = { windowMs: 600_000, windowEvents: 10_000 };
 * deduplicator(opts);
 */
export interface DedupOptions {
  readonly windowMs?: number;
  readonly windowEvents?: number;
  readonly maxEntries?: number;
}

/**
 * The remembered ids of one key, in the order they were added (opaque: use the `Deduplicator` functions).
 *
 * @example
 * import { deduplicator, type DedupState } from "@gametel/core";
 * const s: DedupState = deduplicator().init();
 */
export interface DedupState {
  /** normalised id (32 lowercase hex digits) → event_time */
  readonly seen: Map<string, number>;
  /** ring of normalised ids in insertion order, oldest at `head` */
  ids: string[];
  times: number[];
  head: number;
  /** newest event_time added, -Infinity when none */
  maxTime: number;
}

/**
 * Deduplicates events of one key. `check` answers "seen this id?", `add` remembers an id (mutating the
 * state), `admit` does both: it returns true and remembers a new id, false for a duplicate.
 *
 * @example
 * import { deduplicator } from "@gametel/core";
 * const dedup = deduplicator();
 * let state = dedup.init();
 * if (dedup.admit(state, event.event_id, event.event_time)) apply(event);
 * const checkpoint = dedup.codec.encode(state);
 */
export interface Deduplicator {
  readonly windowMs: number;
  readonly windowEvents: number;
  readonly maxEntries: number;
  init(): DedupState;
  check(state: DedupState, eventId: string, eventTime: number): boolean;
  add(state: DedupState, eventId: string, eventTime: number): DedupState;
  admit(state: DedupState, eventId: string, eventTime: number): boolean;
  /** Number of ids remembered. */
  size(state: DedupState): number;
  /**
   * The remembered ids in the order they were added, oldest first, as `[id, event_time]` (ids normalised to 32
   * lowercase hex digits). `restore(entries(s), maxTime)` gives back a state equal to `s`.
   */
  entries(state: DedupState): [string, number][];
  /**
   * Rebuilds a state from remembered ids in the order they were added (UUIDs or normalised ids) and the key's
   * newest event_time: a store that keeps only the ids added since its last write rebuilds the state exactly, since
   * ids still remembered are never evicted again by re-adding them in order.
   */
  restore(entries: Iterable<readonly [string, number]>, maxTime: number | null): DedupState;
  readonly codec: StateCodec<DedupState>;
}

const normalise = (eventId: string): string => {
  if (!isUuidString(eventId)) throw new TypeError(`event_id must be a UUID, got ${JSON.stringify(eventId)}`);
  return (
    eventId.slice(0, 8) +
    eventId.slice(9, 13) +
    eventId.slice(14, 18) +
    eventId.slice(19, 23) +
    eventId.slice(24)
  ).toLowerCase();
};

const HEX32 = /^[0-9a-f]{32}$/;

/**
 * Creates a deduplicator with the given bounds (defaults: 10 minutes, 10,000 events, cap 100,000).
 *
 * @throws {RangeError} when a bound is not a positive integer or `maxEntries < windowEvents`.
 * @example
 * import { deduplicator } from "@gametel/core";
 * const dedup = deduplicator({ windowEvents: 5_000 });
 */
export const deduplicator = (options: DedupOptions = {}): Deduplicator => {
  const windowMs = options.windowMs ?? DEFAULT_DEDUP_WINDOW_MS;
  const windowEvents = options.windowEvents ?? DEFAULT_DEDUP_WINDOW_EVENTS;
  const maxEntries = options.maxEntries ?? Math.max(DEFAULT_DEDUP_MAX_ENTRIES, windowEvents);
  for (const [name, v] of [
    ["windowMs", windowMs],
    ["windowEvents", windowEvents],
    ["maxEntries", maxEntries],
  ] as const) {
    if (!Number.isSafeInteger(v) || v <= 0)
      throw new RangeError(`dedup ${name} must be a positive integer, got ${v}`);
  }
  if (maxEntries < windowEvents) {
    throw new RangeError(`dedup maxEntries (${maxEntries}) must be >= windowEvents (${windowEvents})`);
  }

  const init = (): DedupState => ({ seen: new Map(), ids: [], times: [], head: 0, maxTime: -Infinity });

  const size = (s: DedupState): number => s.ids.length - s.head;

  const evict = (s: DedupState): void => {
    const horizon = s.maxTime - windowMs;
    while (size(s) > maxEntries || (size(s) > windowEvents && s.times[s.head]! < horizon)) {
      s.seen.delete(s.ids[s.head]!);
      s.head++;
    }
    // Compact the ring's consumed prefix now and then (amortised O(1)).
    if (s.head > 1024 && s.head * 2 > s.ids.length) {
      s.ids = s.ids.slice(s.head);
      s.times = s.times.slice(s.head);
      s.head = 0;
    }
  };

  const insert = (s: DedupState, id: string, eventTime: number): void => {
    if (s.seen.has(id)) return;
    s.seen.set(id, eventTime);
    s.ids.push(id);
    s.times.push(eventTime);
    if (eventTime > s.maxTime) s.maxTime = eventTime;
    evict(s);
  };

  const check = (s: DedupState, eventId: string, _eventTime: number): boolean =>
    s.seen.has(normalise(eventId));
  const add = (s: DedupState, eventId: string, eventTime: number): DedupState => {
    insert(s, normalise(eventId), eventTime);
    return s;
  };
  const admit = (s: DedupState, eventId: string, eventTime: number): boolean => {
    const id = normalise(eventId);
    if (s.seen.has(id)) return false;
    insert(s, id, eventTime);
    return true;
  };

  const entries = (s: DedupState): [string, number][] => {
    const result: [string, number][] = [];
    for (let i = s.head; i < s.ids.length; i++) result.push([s.ids[i]!, s.times[i]!]);
    return result;
  };
  const restore = (list: Iterable<readonly [string, number]>, maxTime: number | null): DedupState => {
    const s = init();
    for (const [id, time] of list) insert(s, HEX32.test(id) ? id : normalise(id), time);
    if (maxTime !== null && maxTime > s.maxTime) s.maxTime = maxTime;
    return s;
  };

  const encode = (s: DedupState): JsonValue => {
    // Times as deltas from the previous entry: short numbers for mostly ordered streams.
    const dt: number[] = [];
    let previous = 0;
    for (let i = s.head; i < s.ids.length; i++) {
      dt.push(s.times[i]! - previous);
      previous = s.times[i]!;
    }
    return {
      v: 1,
      max_time: s.maxTime === -Infinity ? null : s.maxTime,
      ids: s.ids.slice(s.head).join(""),
      dt,
    };
  };

  const decode = (json: JsonValue): DedupState => {
    const o = obj(json, "");
    version(o, "", 1);
    const maxTime = field(o, "max_time", "", nullable(int));
    const ids = field(o, "ids", "", str);
    const dt = field(o, "dt", "", arr);
    if (ids.length !== dt.length * 32)
      throw new StateCodecError("ids", "expected 32 hex digits per dt entry");
    if (dt.length > maxEntries) throw new StateCodecError("dt", `more than maxEntries (${maxEntries}) ids`);
    const s = init();
    let time = 0;
    let newest = -Infinity;
    for (let i = 0; i < dt.length; i++) {
      time += int(dt[i], `dt[${i}]`);
      const id = ids.slice(i * 32, i * 32 + 32);
      if (!HEX32.test(id)) throw new StateCodecError(`ids[${i}]`, "expected 32 lowercase hex digits");
      if (s.seen.has(id)) throw new StateCodecError(`ids[${i}]`, "duplicate id");
      s.seen.set(id, time);
      s.ids.push(id);
      s.times.push(time);
      if (time > newest) newest = time;
    }
    if (maxTime === null ? dt.length > 0 : newest > maxTime) {
      throw new StateCodecError("max_time", "inconsistent with the remembered times");
    }
    s.maxTime = maxTime ?? -Infinity;
    return s;
  };

  return {
    windowMs,
    windowEvents,
    maxEntries,
    init,
    check,
    add,
    admit,
    size,
    entries,
    restore,
    codec: { encode, decode },
  };
};
