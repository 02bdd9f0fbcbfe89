/**
 * `MatchStats`: per (`game_id`, `match_id`), from every event carrying that `match_id`. Player events of one
 * match arrive on many partitions (they are keyed by player), so runtimes build partial states and `merge`
 * them; `merge` is exact, associative and commutative.
 *
 * Definitions:
 * - `start` = earliest `event_time` among its `match_start` events; `map`/`mode` and `server_id` from that
 *   event (ties on time: the smallest `event_id`). null when none.
 * - `end` = earliest `event_time` among its `match_end` events; `winning_team` from that event (same tie
 *   rule). null when none.
 * - `duration_ms` = end − start when both are known, else null.
 * - `players` = number of distinct `player_id` among its player-scoped events (`player_*`, `shot_fired`, and
 *   session events that carry the `match_id`).
 * - `kills` = number of its `player_kill` events; `top_killer` = the player with the most of them (ties: the
 *   smallest `player_id` in code-unit order), with that count; null when no kills.
 *
 * @module MatchStats
 */
import type { TelemetryEvent } from "./Event.js";
import { arr, count, field, int, nullable, obj, str, version } from "./internal/json.js";
import { type JsonValue, type Reducer, StateCodecError, type StateCodec } from "./Reducer.js";
import type { ResultFieldsOf } from "./ResultFields.js";

/**
 * The insight for one match.
 *
 * @example
 * import type { MatchStats } from "@gametel/core";
 * const title = (m: MatchStats) => `${m.map ?? "?"}: ${m.players} players, ${m.kills} kills`;
 */
export interface MatchStats {
  readonly start: number | null;
  readonly end: number | null;
  readonly duration_ms: number | null;
  readonly map: string | null;
  readonly mode: string | null;
  readonly server_id: string | null;
  readonly winning_team: string | null;
  readonly players: number;
  readonly kills: number;
  readonly top_killer: { readonly player_id: string; readonly kills: number } | null;
}

/**
 * Every field of `MatchStats` with its kind and definition, in stored order.
 *
 * @example
 * import { fieldNames, MATCH_STATS_FIELDS } from "@gametel/core";
 * fieldNames(MATCH_STATS_FIELDS).includes("duration_ms"); // true
 */
export const MATCH_STATS_FIELDS: ResultFieldsOf<MatchStats> = {
  start: { kind: "time", nullable: true, description: "match_start event_time." },
  end: { kind: "time", nullable: true, description: "match_end event_time." },
  duration_ms: {
    kind: "count",
    nullable: true,
    description: "end - start in ms (null until both are known).",
  },
  map: { kind: "string", nullable: true, description: "Map." },
  mode: { kind: "string", nullable: true, description: "Mode." },
  server_id: { kind: "string", nullable: true, description: "Server of the match_start event." },
  winning_team: {
    kind: "string",
    nullable: true,
    description: "Winning team (null on a tie or before the end).",
  },
  players: { kind: "count", nullable: false, description: "Distinct players that spawned in the match." },
  kills: { kind: "count", nullable: false, description: "player_kill events of the match." },
  top_killer: {
    kind: "object",
    nullable: true,
    description: "Player with the most kills and their kills ({ player_id, kills }; null when no kills).",
  },
};

interface Marker<D> {
  readonly time: number;
  readonly eventId: string;
  readonly data: D;
}

/**
 * Fold state of `MatchStats` (opaque: use `matchStatsReducer`).
 *
 * @example
 * import { matchStatsReducer, type MatchStatsState } from "@gametel/core";
 * const s: MatchStatsState = matchStatsReducer.init();
 */
export interface MatchStatsState {
  start: Marker<{ readonly map: string; readonly mode: string; readonly server_id: string }> | null;
  end: Marker<{ readonly winning_team: string | null }> | null;
  readonly players: Set<string>;
  /** player_id → kills */
  readonly killsBy: Map<string, number>;
  kills: number;
}

const init = (): MatchStatsState => ({
  start: null,
  end: null,
  players: new Set(),
  killsBy: new Map(),
  kills: 0,
});

/** Earliest time wins; equal times: smallest event id. */
const earlier = <D>(a: Marker<D> | null, b: Marker<D> | null): Marker<D> | null => {
  if (a === null) return b;
  if (b === null) return a;
  if (a.time !== b.time) return a.time < b.time ? a : b;
  return a.eventId <= b.eventId ? a : b;
};

const reduce = (s: MatchStatsState, e: TelemetryEvent): MatchStatsState => {
  switch (e.event_type) {
    case "match_start":
      s.start = earlier(s.start, {
        time: e.event_time,
        eventId: e.event_id,
        data: { map: e.data.map, mode: e.data.mode, server_id: e.server_id },
      });
      return s;
    case "match_end":
      s.end = earlier(s.end, {
        time: e.event_time,
        eventId: e.event_id,
        data: { winning_team: e.data.winning_team },
      });
      return s;
    case "perf_sample":
      return s;
    case "player_kill":
      s.kills++;
      s.killsBy.set(e.player_id, (s.killsBy.get(e.player_id) ?? 0) + 1);
      break;
    default:
      break;
  }
  if (e.match_id !== null) s.players.add(e.player_id);
  return s;
};

const merge = (a: MatchStatsState, b: MatchStatsState): MatchStatsState => {
  const killsBy = new Map(a.killsBy);
  for (const [p, k] of b.killsBy) killsBy.set(p, (killsBy.get(p) ?? 0) + k);
  return {
    start: earlier(a.start, b.start),
    end: earlier(a.end, b.end),
    players: new Set([...a.players, ...b.players]),
    killsBy,
    kills: a.kills + b.kills,
  };
};

const result = (s: MatchStatsState): MatchStats => {
  let top: { player_id: string; kills: number } | null = null;
  for (const [player_id, kills] of s.killsBy) {
    if (top === null || kills > top.kills || (kills === top.kills && player_id < top.player_id))
      top = { player_id, kills };
  }
  const start = s.start?.time ?? null;
  const end = s.end?.time ?? null;
  return {
    start,
    end,
    duration_ms: start !== null && end !== null ? end - start : null,
    map: s.start?.data.map ?? null,
    mode: s.start?.data.mode ?? null,
    server_id: s.start?.data.server_id || null,
    winning_team: s.end?.data.winning_team ?? null,
    players: s.players.size,
    kills: s.kills,
    top_killer: top,
  };
};

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const encode = (s: MatchStatsState): JsonValue => ({
  v: 1,
  start:
    s.start === null
      ? null
      : [s.start.time, s.start.eventId, s.start.data.map, s.start.data.mode, s.start.data.server_id],
  end: s.end === null ? null : [s.end.time, s.end.eventId, s.end.data.winning_team],
  players: [...s.players].sort(compare),
  kills_by: [...s.killsBy].sort((x, y) => compare(x[0], y[0])),
  kills: s.kills,
});

const tuple = (v: JsonValue | undefined, path: string, length: number): ReadonlyArray<JsonValue> => {
  const t = arr(v, path);
  if (t.length !== length) throw new StateCodecError(path, `expected ${length} elements`);
  return t;
};

const decode = (json: JsonValue): MatchStatsState => {
  const o = obj(json, "");
  version(o, "", 1);
  const s = init();
  const start = o["start"] ?? null;
  if (start !== null) {
    // Four elements: a state written before server_id was kept (its server reads as "").
    const t = arr(start, "start");
    if (t.length !== 4 && t.length !== 5) throw new StateCodecError("start", "expected 4 or 5 elements");
    s.start = {
      time: int(t[0], "start[0]"),
      eventId: str(t[1], "start[1]"),
      data: {
        map: str(t[2], "start[2]"),
        mode: str(t[3], "start[3]"),
        server_id: t.length === 5 ? str(t[4], "start[4]") : "",
      },
    };
  }
  const end = o["end"] ?? null;
  if (end !== null) {
    const t = tuple(end, "end", 3);
    s.end = {
      time: int(t[0], "end[0]"),
      eventId: str(t[1], "end[1]"),
      data: { winning_team: nullable(str)(t[2], "end[2]") },
    };
  }
  field(o, "players", "", arr).forEach((p, i) => s.players.add(str(p, `players[${i}]`)));
  let total = 0;
  field(o, "kills_by", "", arr).forEach((entry, i) => {
    const t = tuple(entry, `kills_by[${i}]`, 2);
    const player = str(t[0], `kills_by[${i}][0]`);
    const kills = count(t[1], `kills_by[${i}][1]`);
    if (kills === 0 || s.killsBy.has(player))
      throw new StateCodecError(`kills_by[${i}]`, "zero or duplicate entry");
    if (!s.players.has(player)) throw new StateCodecError(`kills_by[${i}]`, "killer missing from players");
    s.killsBy.set(player, kills);
    total += kills;
  });
  s.kills = field(o, "kills", "", count);
  if (total !== s.kills) throw new StateCodecError("kills", "does not match kills_by");
  return s;
};

/**
 * JSON codec of `MatchStatsState` (`players` and `kills_by` as sorted arrays, never as object keys).
 *
 * @example
 * import { matchStatsCodec, matchStatsReducer } from "@gametel/core";
 * matchStatsCodec.encode(matchStatsReducer.init());
 */
export const matchStatsCodec: StateCodec<MatchStatsState> = { encode, decode };

/**
 * The `MatchStats` reducer: feed it the events with one `match_id` (from any partition) and merge partial
 * states. `reduce` mutates and returns its state; events without that match are the caller's to filter.
 *
 * @example
 * import { matchStatsReducer as m, reduceAll } from "@gametel/core";
 * const partA = reduceAll(m, eventsFromPartition0), partB = reduceAll(m, eventsFromPartition1);
 * m.result(m.merge(partA, partB)).top_killer;
 */
export const matchStatsReducer: Reducer<MatchStatsState, TelemetryEvent, MatchStats> = {
  init,
  reduce,
  merge,
  result,
  codec: matchStatsCodec,
};
