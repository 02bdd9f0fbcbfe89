import { createHash } from "node:crypto";
import { deduplicator } from "@gametel/core";
import type { DedupOptions, Reducer } from "@gametel/core";
import type { StreamModel, Window } from "../processor/StreamModel.js";

/**
 * A deliberately small StreamModel for unit tests of the processing protocol (not gametel's domain): JSON events
 * `{ id, key, t, v, m?, s? }`. Player keys start with "p"; a player's all-time state sums `v`, its window state
 * sums `v`, and an "m1" event is also context for the next window (adds to its `carried`), like a spawn for a death;
 * `m` contributes `v` to a match, `s` to a server window. Dedup is core's Deduplicator by `id`.
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

/** The test's reducer: sums and counts `v` (a core `Reducer`; `result` is the state's public fields). */
const sumReducer: Reducer<SumState, SumEvent, SumState> = {
  init: () => ({ sum: 0, count: 0, carried: 0 }),
  reduce: (state, event) => ({ ...state, sum: state.sum + event.v, count: state.count + 1 }),
  merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count, carried: a.carried + b.carried }),
  result: (state) => state,
  codec: {
    encode: (state) => ({ sum: state.sum, count: state.count, carried: state.carried }),
    decode: (json) => json as unknown as SumState,
  },
};

const windowOf = (t: number): Window => {
  const start = Math.floor(t / WINDOW_MS) * WINDOW_MS;
  return { start, end: start + WINDOW_MS };
};

/** Core's Deduplicator keeps UUIDs: a test id becomes one deterministically. */
const uuidOf = (id: string): string => {
  const h = createHash("sha1").update(id).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const isPlayer = (event: SumEvent) => event.key.startsWith("p");

/** `dedup` narrows core's default bounds (tests of forgetting). */
export function sumModel(graceMs: number, dedup?: DedupOptions): StreamModel<SumEvent> {
  return {
    name: "sum",
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
    dedup: { deduplicator: deduplicator(dedup), eventId: (event) => uuidOf(event.id) },
    lateness: { window: windowOf, graceMs },
    aggregations: [
      {
        name: "windows",
        owner: "key",
        collection: "windows",
        reducer: sumReducer,
        fields: ({ sum, count, carried }) => ({ sum, count, carried }),
        windows: {
          windowsOf: (event) => {
            const own = windowOf(event.t);
            return event.m === "m1" ? [own, windowOf(own.end)] : [own];
          },
          reduceIn: (state, event, window) =>
            event.t >= window.start && event.t < window.end
              ? sumReducer.reduce(state, event)
              : { ...state, carried: state.carried + event.v },
        },
        target: (event, key, window) =>
          isPlayer(event) && window !== null
            ? { id: `${key}|${window.start}`, identity: { player_id: event.key } }
            : null,
      },
      {
        name: "matches",
        owner: "partitions",
        collection: "matches",
        reducer: sumReducer,
        fields: ({ sum, count }) => ({ sum, count }),
        target: (event) => (event.m === undefined ? null : { id: event.m, identity: { match_id: event.m } }),
      },
      {
        name: "servers",
        owner: "partitions",
        collection: "servers",
        reducer: sumReducer,
        fields: ({ sum, count }) => ({ sum, count }),
        windows: {},
        target: (event, window) =>
          event.s === undefined || window === null
            ? null
            : { id: `${event.s}|${window.start}`, identity: { server_id: event.s } },
      },
      {
        name: "players",
        owner: "key",
        collection: "players",
        reducer: sumReducer,
        fields: ({ sum, count }) => ({ sum, count }),
        target: (event, key) => (isPlayer(event) ? { id: key, identity: { player_id: event.key } } : null),
      },
    ],
    output: { aggregation: "players", value: (state) => JSON.stringify(state) },
  };
}

export const SUM_WINDOW_MS = WINDOW_MS;
