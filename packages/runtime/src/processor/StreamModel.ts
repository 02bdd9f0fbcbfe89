/**
 * What the processing loop needs from the domain, as a port: decoding, keys, dedup and the aggregations with their
 * state codecs. `coreModel` (CoreModel.ts) binds it to `@gametel/core`; unit tests of the protocol use small models.
 * States are opaque to the loop; codecs turn them into strings for MongoDB.
 */

export type DecodeOutcome<E> =
  | { readonly ok: true; readonly event: E }
  | { readonly ok: false; readonly reason: string; readonly path: string };

/** A reducer with its state codec. `reduce` may mutate `state` and must return the new state. */
export interface Aggregator<E, S> {
  init(): S;
  reduce(state: S, event: E): S;
  encode(state: S): string;
  decode(encoded: string): S;
}

/** Deduplication by event id with the core's bounded memory. */
export interface DedupPolicy<E, D> {
  init(): D;
  /** True when the event is new (and records it in `state`), false for a duplicate. */
  admit(state: D, event: E): boolean;
  encode(state: D): string;
  decode(encoded: string): D;
}

export interface Window {
  readonly start: number;
  readonly end: number;
}

/** One shared (cross-partition) aggregate an event contributes to. */
export interface SharedTarget {
  readonly id: string;
  /** Identity fields of the document (game_id, match_id, ...). */
  readonly identity: Readonly<Record<string, unknown>>;
}

/** Identity fields of the player an event updates (game_id, player_id); its documents are keyed by the record key. */
export type PlayerIdentity = Readonly<Record<string, unknown>>;

export interface StreamModel<E, D = unknown, P = unknown, W = unknown, M = unknown, V = unknown> {
  decode(value: Uint8Array): DecodeOutcome<E>;
  /** The record key: the partition key of the event. */
  key(event: E): string;
  eventTime(event: E): number;
  readonly dedup: DedupPolicy<E, D>;

  /**
   * The player an event updates (all time and windowed), if any. Player documents are keyed by the record key, so
   * only events keyed by their player may return non-null (one writer per document).
   */
  player(event: E): PlayerIdentity | null;
  readonly playerStats: Aggregator<E, P> & {
    /** Public document fields (BSON-ready: dates as Date). */
    fields(state: P): Readonly<Record<string, unknown>>;
    /** The JSON value published on the output topic. */
    output(state: P): string;
  };
  /** Tumbling window containing an event time. */
  window(eventTime: number): Window;
  readonly graceMs: number;
  /**
   * Windowed player state, in the shape of core's `WindowedReducer`: `windowsOf(event)` lists the windows an event
   * goes into (its own, and later ones it is context for, e.g. a spawn for a death in a later window: a life counts
   * in the window of its death); the loop folds it into each of them that is not closed for the key.
   */
  readonly playerWindow: Aggregator<E, W> & {
    windowsOf(event: E): readonly Window[];
    reduceIn(state: W, event: E, window: Window): W;
    fields(state: W): Readonly<Record<string, unknown>>;
  };

  match(event: E): SharedTarget | null;
  readonly matchStats: Aggregator<E, M> & {
    mergeFields(states: readonly M[]): Readonly<Record<string, unknown>>;
  };

  /** The server window an event contributes to (windowed on event time), if any. */
  server(event: E, window: Window): SharedTarget | null;
  readonly serverPerf: Aggregator<E, V> & {
    mergeFields(states: readonly V[]): Readonly<Record<string, unknown>>;
  };
}
