import type { StreamModel, Window } from "../StreamModel.js";

/**
 * A deliberately small StreamModel for unit tests of the processing protocol (not gametel's domain): JSON events
 * `{ id, key, t, v, m?, s? }`. Player keys start with "p"; a player's all-time state sums `v`, its window state
 * sums `v`, and an "m1" event is also context for the next window (adds to its `carried`), like a spawn for a death;
 * `m` contributes `v` to a match, `s` to a server window. Dedup remembers every id (unbounded, tests only).
 */
export interface SumEvent {
  readonly id: string;
  readonly key: string;
  readonly t: number;
  readonly v: number;
  readonly m?: string | undefined;
  readonly s?: string | undefined;
}

export interface SumState {
  sum: number;
  count: number;
  /** For windows: sum of `v` of "m1" events of the previous window (context carried into the next window). */
  carried: number;
}

const WINDOW_MS = 100;

const sumAggregator = {
  init: (): SumState => ({ sum: 0, count: 0, carried: 0 }),
  reduce: (state: SumState, event: SumEvent): SumState => ({
    ...state,
    sum: state.sum + event.v,
    count: state.count + 1,
  }),
  encode: (state: SumState): string => JSON.stringify(state),
  decode: (encoded: string): SumState => JSON.parse(encoded) as SumState,
};

const windowOf = (t: number): Window => {
  const start = Math.floor(t / WINDOW_MS) * WINDOW_MS;
  return { start, end: start + WINDOW_MS };
};

const mergeFields = (states: readonly SumState[]) => ({
  sum: states.reduce((a, s) => a + s.sum, 0),
  count: states.reduce((a, s) => a + s.count, 0),
});

export function sumModel(
  graceMs: number,
): StreamModel<SumEvent, Set<string>, SumState, SumState, SumState, SumState> {
  return {
    decode(value) {
      try {
        const event = JSON.parse(Buffer.from(value).toString("utf8")) as SumEvent;
        if (typeof event.id !== "string" || typeof event.key !== "string" || typeof event.t !== "number") {
          return { ok: false, reason: "missing field", path: "id" };
        }
        return { ok: true, event };
      } catch {
        return { ok: false, reason: "malformed JSON", path: "" };
      }
    },
    key: (event) => event.key,
    eventTime: (event) => event.t,
    dedup: {
      init: () => new Set<string>(),
      admit: (state, event) => {
        if (state.has(event.id)) return false;
        state.add(event.id);
        return true;
      },
      encode: (state) => JSON.stringify([...state]),
      decode: (encoded) => new Set(JSON.parse(encoded) as string[]),
    },
    player: (event) => (event.key.startsWith("p") ? { player_id: event.key } : null),
    playerStats: {
      ...sumAggregator,
      fields: (s) => ({ sum: s.sum, count: s.count }),
      output: (s) => JSON.stringify(s),
    },
    window: windowOf,
    graceMs,
    playerWindow: {
      ...sumAggregator,
      windowsOf: (event) => {
        const own = windowOf(event.t);
        return event.m === "m1" ? [own, windowOf(own.end)] : [own];
      },
      reduceIn: (state, event, window) =>
        event.t >= window.start && event.t < window.end
          ? sumAggregator.reduce(state, event)
          : { ...state, carried: state.carried + event.v },
      fields: (s) => ({ sum: s.sum, count: s.count, carried: s.carried }),
    },
    match: (event) => (event.m === undefined ? null : { id: event.m, identity: { match_id: event.m } }),
    matchStats: { ...sumAggregator, mergeFields },
    server: (event, window) =>
      event.s === undefined ? null : { id: `${event.s}|${window.start}`, identity: { server_id: event.s } },
    serverPerf: { ...sumAggregator, mergeFields },
  };
}

export const SUM_WINDOW_MS = WINDOW_MS;
