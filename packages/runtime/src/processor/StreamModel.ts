/**
 * What the processing loop needs from a game, as data: how to decode and key its events, how to deduplicate them,
 * which event-time windows decide lateness, and the list of aggregations it maintains. The loop (StreamTask) and the
 * stores iterate over that list; they know no game. `arenaModel` (ArenaModel.ts) is gametel's own game declared this
 * way; examples/racing declares another. See docs/processing-design.md for the write protocol.
 *
 * Aggregations compute with core's `Reducer` (init/reduce/merge/result + JSON state codec) and deduplicate with
 * core's `Deduplicator`: the runtime adds no second notion of either.
 */
import type { Deduplicator, Reducer, Window } from "@gametel/core";

export type { Window };

export type DecodeOutcome<E> =
  | { readonly ok: true; readonly event: E }
  | { readonly ok: false; readonly reason: string; readonly path: string };

/** The document an event updates: its `_id` and the identity fields written with it (game_id, player_id, ...). */
export interface Target {
  readonly id: string;
  readonly identity: Readonly<Record<string, unknown>>;
}

/** A MongoDB index an aggregation's collection needs (its readers' queries). */
export interface IndexSpec {
  readonly key: Readonly<Record<string, 1 | -1>>;
  readonly name: string;
}

/** Event-time windows of an aggregation (tumbling, hopping, or anything a `WindowedReducer` gives). */
export interface AggregationWindows<E, S> {
  /**
   * The windows an event goes into (its own, and possibly later ones it is context for). Default: the event's own
   * window of the model's `lateness.window`. Windows closed for the event's key (end + grace ≤ the key's stream
   * time) are skipped: a late event changes no closed window.
   */
  windowsOf?(event: E): readonly Window[];
  /** Folds an event into one window's state. Default: the reducer's `reduce`. */
  reduceIn?(state: S, event: E, window: Window): S;
}

interface AggregationBase<E, S, R> {
  /** A name unique in the model (metrics, cache keys, collection overrides). */
  readonly name: string;
  /** The MongoDB collection of its documents. */
  readonly collection: string;
  /** The core reducer that computes it; its codec stores the state (opaque `_state` string). */
  readonly reducer: Reducer<S, E, R>;
  /** Public fields of a document from the result (BSON-ready, e.g. dates as Date). Default: the result as is. */
  readonly fields?: (result: R) => Readonly<Record<string, unknown>>;
  readonly indexes?: readonly IndexSpec[];
  readonly windows?: AggregationWindows<E, S>;
}

/**
 * Documents that one partition owns: every target id is derived from the record key (the player, or the player in
 * a match), so exactly one task writes each document and its `_offset` fence orders all writes.
 */
export interface KeyedAggregation<E, S = unknown, R = unknown> extends AggregationBase<E, S, R> {
  readonly owner: "key";
  /** The document the event updates in `window` (null when not windowed), or null for none. */
  target(event: E, key: string, window: Window | null): Target | null;
}

/**
 * Documents that several partitions contribute to (a match, a server's window): each partition writes its own part
 * (fenced by its offsets) and the document's public fields are the merge of all parts (compare-and-set).
 */
export interface MergedAggregation<E, S = unknown, R = unknown> extends AggregationBase<E, S, R> {
  readonly owner: "partitions";
  /** The document the event contributes to in `window` (null when not windowed), or null for none. */
  target(event: E, window: Window | null): Target | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- states and results are opaque to the loop
export type Aggregation<E> = KeyedAggregation<E, any, any> | MergedAggregation<E, any, any>;

export interface StreamModel<E> {
  /** The game's name (logs). */
  readonly name: string;
  decode(value: Uint8Array): DecodeOutcome<E>;
  /** The record key: the partition key of the event. */
  key(event: E): string;
  eventTime(event: E): number;
  /** Deduplication by event id per record key, with core's bounded memory. */
  readonly dedup: { readonly deduplicator: Deduplicator; eventId(event: E): string };
  /**
   * The event-time windows that define lateness: an event is late when its own window closed for its key (window
   * end + grace ≤ the key's stream time). Late events still update unwindowed aggregations.
   */
  readonly lateness: { window(eventTime: number): Window; readonly graceMs: number };
  /** What the model maintains, in write order within each phase (see docs/processing-design.md). */
  readonly aggregations: readonly Aggregation<E>[];
  /** The latest result of one keyed aggregation, published per touched document on the output topic. */
  readonly output?: { readonly aggregation: string; value(state: unknown): string };
}

/** A model's aggregations with their names checked: unique names, collections and known output. */
export function checkModel<E>(model: StreamModel<E>): void {
  const names = new Set<string>();
  const collections = new Set<string>();
  for (const a of model.aggregations) {
    if (names.has(a.name)) throw new Error(`model ${model.name}: two aggregations named ${a.name}`);
    if (collections.has(a.collection))
      throw new Error(`model ${model.name}: two aggregations write collection ${a.collection}`);
    names.add(a.name);
    collections.add(a.collection);
  }
  const output = model.output?.aggregation;
  if (output !== undefined) {
    const target = model.aggregations.find((a) => a.name === output);
    if (target === undefined || target.owner !== "key")
      throw new Error(`model ${model.name}: output names ${output}, which is not a keyed aggregation`);
  }
}
