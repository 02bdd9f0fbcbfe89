/**
 * The reducer contract: a small mergeable fold with a JSON state codec, so runtimes can keep, checkpoint
 * and combine state without knowing what it holds.
 *
 * @module Reducer
 */

/**
 * A JSON value: what a `StateCodec` writes and reads (MongoDB-safe when produced by this package: object
 * keys are fixed field names, never ids from the data).
 *
 * @example
 * import type { JsonValue } from "@gametel/core";
 * const v: JsonValue = { kills: 3, pairs: [["m:1", 2]] };
 */
export type JsonValue =
  null | boolean | number | string | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue };

/**
 * Serialises a reducer state to plain JSON and back. `encode` never emits object keys derived from data
 * (maps become arrays of pairs, so ids such as `"eu.1:m-7"` are safe as MongoDB content). `decode`
 * validates and throws `StateCodecError` on anything `encode` could not have produced.
 *
 * @example
 * import { playerStatsReducer } from "@gametel/core";
 * const { codec } = playerStatsReducer;
 * const copy = codec.decode(codec.encode(playerStatsReducer.init()));
 */
export interface StateCodec<S> {
  encode(state: S): JsonValue;
  decode(json: JsonValue): S;
}

/**
 * An incremental, mergeable fold over events.
 * - `init()` returns a fresh empty state.
 * - `reduce(state, event)` folds one event in. It MAY mutate `state` and return the same object (that is how
 *   the built-in reducers reach their speed); callers must use the returned value and not keep old references.
 * - `merge(a, b)` combines states built from disjoint sets of events into a new state; it does not modify
 *   `a` or `b`. For every built-in reducer `result` of merges is associative and commutative, and
 *   `result(merge(fold(A), fold(B))) = result(fold(A ∪ B))`.
 * - `result(state)` is the insight (plain data; does not modify the state).
 * - `codec` checkpoints the state as JSON.
 *
 * @example
 * import { playerStatsReducer as r, reduceAll } from "@gametel/core";
 * const stats = r.result(reduceAll(r, events));
 */
export interface Reducer<S, E, R> {
  init(): S;
  reduce(state: S, event: E): S;
  merge(a: S, b: S): S;
  result(state: S): R;
  readonly codec: StateCodec<S>;
}

/**
 * Thrown by `StateCodec.decode` for JSON that is not a valid encoded state; `path` names the bad part.
 *
 * @example
 * import { StateCodecError, playerStatsReducer } from "@gametel/core";
 * try { playerStatsReducer.codec.decode({}); } catch (e) { if (e instanceof StateCodecError) console.log(e.path); }
 */
export class StateCodecError extends Error {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`invalid encoded state at ${path === "" ? "<root>" : path}: ${reason}`);
    this.name = "StateCodecError";
    this.path = path;
  }
}

/**
 * Folds events into a state (a fresh `init()` unless one is given).
 *
 * @example
 * import { playerStatsReducer, reduceAll } from "@gametel/core";
 * const state = reduceAll(playerStatsReducer, events);
 * playerStatsReducer.result(state).kills;
 */
export const reduceAll = <S, E, R>(
  reducer: Reducer<S, E, R>,
  events: Iterable<E>,
  state: S = reducer.init(),
): S => {
  let s = state;
  for (const event of events) s = reducer.reduce(s, event);
  return s;
};

/**
 * Merges any number of states (an `init()` state for none).
 *
 * @example
 * import { matchStatsReducer, mergeAll } from "@gametel/core";
 * const whole = matchStatsReducer.result(mergeAll(matchStatsReducer, partialStates));
 */
export const mergeAll = <S, E, R>(reducer: Reducer<S, E, R>, states: Iterable<S>): S => {
  let acc: S | undefined;
  for (const s of states) acc = acc === undefined ? s : reducer.merge(acc, s);
  return acc === undefined ? reducer.init() : reducer.merge(reducer.init(), acc);
};
