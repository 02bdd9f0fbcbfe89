/**
 * `PlayerStats`: exact, order-independent insights for one (`game_id`, `player_id`).
 *
 * Definitions (the README repeats them word for word):
 * - `kills` = number of its `player_kill` events; `deaths` = number of its `player_death` events;
 *   `headshot_kills` = its `player_kill` events with `data.headshot`; `headshot_ratio` = headshot_kills / kills
 *   (0 when no kills).
 * - `kd_ratio` = kills / deaths, or kills when deaths = 0 (never null, never infinite).
 * - `matches` = number of distinct `match_id` among its `player_spawn` events; `avg_kills_per_match` =
 *   kills / matches (0 when no matches).
 * - `lives_completed` = its deaths that have a spawn with the same `match_id` and `data.life`;
 *   `avg_survival_ms` = mean of death `event_time` − spawn `event_time` over those lives (null when none).
 *   When several spawns share a `match_id` and `data.life`, the life's spawn time is the earliest of their
 *   `event_time`s. A death that arrives before its spawn waits for it.
 * - `shots` = its `shot_fired` events; `hits` = its `player_hit` events; `damage_dealt` = exact sum of their
 *   `data.damage` (correctly rounded, so independent of order); `first_seen`/`last_seen` = min/max
 *   `event_time` of its player-scoped events (every type but `match_start`, `match_end`, `perf_sample`, which
 *   are keyed by match or server and ignored here; null when none).
 * The result depends only on the multiset of events folded in, never on their order. Feed each event once
 * (deduplicate upstream with `Deduplicator`).
 *
 * @module PlayerStats
 */
import type { TelemetryEvent } from "./Event.js";
import {
  tumblingWindow,
  type Window,
  type WindowedReducer,
  windowsFor,
  windowsOverlapping,
  type WindowSpec,
} from "./Window.js";
import { addTo, type ExactSum, mergeSums, restoreSum, valueOf } from "./internal/exactSum.js";
import { arr, count, field, int, num, nullable, obj, str, version } from "./internal/json.js";
import { type JsonValue, type Reducer, StateCodecError, type StateCodec } from "./Reducer.js";
import type { ResultFieldsOf } from "./ResultFields.js";

/**
 * The insight for one player (snake_case, as stored in MongoDB).
 *
 * @example
 * import type { PlayerStats } from "@gametel/core";
 * const line = (s: PlayerStats) => `${s.kills}/${s.deaths} (K/D ${s.kd_ratio.toFixed(2)})`;
 */
export interface PlayerStats {
  readonly kills: number;
  readonly deaths: number;
  readonly headshot_kills: number;
  readonly headshot_ratio: number;
  readonly kd_ratio: number;
  readonly matches: number;
  readonly avg_kills_per_match: number;
  readonly lives_completed: number;
  readonly avg_survival_ms: number | null;
  readonly shots: number;
  readonly hits: number;
  readonly damage_dealt: number;
  readonly first_seen: number | null;
  readonly last_seen: number | null;
}

/**
 * Every field of `PlayerStats` with its kind and definition, in stored order (readers walk this table instead of
 * listing the fields again).
 *
 * @example
 * import { fieldNames, PLAYER_STATS_FIELDS } from "@gametel/core";
 * fieldNames(PLAYER_STATS_FIELDS).includes("kd_ratio"); // true
 */
export const PLAYER_STATS_FIELDS: ResultFieldsOf<PlayerStats> = {
  kills: { kind: "count", nullable: false, description: "Number of player_kill events." },
  deaths: { kind: "count", nullable: false, description: "Number of player_death events." },
  headshot_kills: { kind: "count", nullable: false, description: "Kills with data.headshot." },
  headshot_ratio: {
    kind: "number",
    nullable: false,
    description: "headshot_kills / kills (0 when no kills).",
  },
  kd_ratio: { kind: "number", nullable: false, description: "kills / deaths, or kills when deaths = 0." },
  matches: { kind: "count", nullable: false, description: "Distinct match_id among player_spawn events." },
  avg_kills_per_match: {
    kind: "number",
    nullable: false,
    description: "kills / matches (0 when no matches).",
  },
  lives_completed: {
    kind: "count",
    nullable: false,
    description: "Deaths that have a spawn with the same match_id and life.",
  },
  avg_survival_ms: {
    kind: "number",
    nullable: true,
    description: "Mean life length in ms over completed lives (null when none).",
  },
  shots: { kind: "count", nullable: false, description: "Number of shot_fired events." },
  hits: { kind: "count", nullable: false, description: "Number of player_hit events." },
  damage_dealt: {
    kind: "number",
    nullable: false,
    description: "Exact sum of data.damage of player_hit events.",
  },
  first_seen: { kind: "time", nullable: true, description: "Earliest event_time of the player's events." },
  last_seen: { kind: "time", nullable: true, description: "Latest event_time of the player's events." },
};

/** One life (`match_id`, `life`): earliest spawn time (NaN = none yet) and the deaths recorded for it. */
interface LifeRecord {
  spawn: number;
  deaths: number;
  deathTimeSum: number;
}

/**
 * The mutable fold state behind `PlayerStats` (opaque: use `playerStatsReducer` and its codec).
 *
 * @example
 * import { playerStatsReducer, type PlayerStatsState } from "@gametel/core";
 * const s: PlayerStatsState = playerStatsReducer.init();
 */
export interface PlayerStatsState {
  kills: number;
  headshotKills: number;
  deaths: number;
  shots: number;
  hits: number;
  damage: ExactSum;
  /** min event_time, +Infinity when none */
  firstSeen: number;
  /** max event_time, -Infinity when none */
  lastSeen: number;
  /** match ids of its (in-window) spawns */
  matches: Set<string>;
  /** match_id → life → record */
  lives: Map<string, Map<number, LifeRecord>>;
  livesCompleted: number;
  survivalTotalMs: number;
}

const init = (): PlayerStatsState => ({
  kills: 0,
  headshotKills: 0,
  deaths: 0,
  shots: 0,
  hits: 0,
  damage: [],
  firstSeen: Infinity,
  lastSeen: -Infinity,
  matches: new Set(),
  lives: new Map(),
  livesCompleted: 0,
  survivalTotalMs: 0,
});

const lifeOf = (s: PlayerStatsState, matchId: string, life: number): LifeRecord => {
  let byLife = s.lives.get(matchId);
  if (byLife === undefined) {
    byLife = new Map();
    s.lives.set(matchId, byLife);
  }
  let record = byLife.get(life);
  if (record === undefined) {
    record = { spawn: NaN, deaths: 0, deathTimeSum: 0 };
    byLife.set(life, record);
  }
  return record;
};

/** Records a spawn time for a life (no counters): used for spawns and for spawns carried into later windows. */
const recordSpawn = (s: PlayerStatsState, matchId: string, life: number, time: number): void => {
  const record = lifeOf(s, matchId, life);
  const previous = record.spawn;
  if (Number.isNaN(previous)) {
    record.spawn = time;
    if (record.deaths > 0) {
      s.livesCompleted += record.deaths;
      s.survivalTotalMs += record.deathTimeSum - record.deaths * time;
    }
  } else if (time < previous) {
    record.spawn = time;
    s.survivalTotalMs += record.deaths * (previous - time);
  }
};

const reduce = (s: PlayerStatsState, e: TelemetryEvent): PlayerStatsState => {
  const t = e.event_time;
  switch (e.event_type) {
    case "player_move":
      break;
    case "shot_fired":
      s.shots++;
      break;
    case "player_hit":
      s.hits++;
      addTo(s.damage, e.data.damage);
      break;
    case "player_kill":
      s.kills++;
      if (e.data.headshot) s.headshotKills++;
      break;
    case "player_death": {
      s.deaths++;
      const record = lifeOf(s, e.match_id, e.data.life);
      record.deaths++;
      record.deathTimeSum += t;
      if (!Number.isNaN(record.spawn)) {
        s.livesCompleted++;
        s.survivalTotalMs += t - record.spawn;
      }
      break;
    }
    case "player_spawn":
      s.matches.add(e.match_id);
      recordSpawn(s, e.match_id, e.data.life, t);
      break;
    case "session_start":
    case "session_end":
      break;
    default:
      // match_start, match_end, perf_sample: keyed by match or server, never part of a player's stats.
      return s;
  }
  if (t < s.firstSeen) s.firstSeen = t;
  if (t > s.lastSeen) s.lastSeen = t;
  return s;
};

const recomputeLives = (s: PlayerStatsState): void => {
  let completed = 0;
  let total = 0;
  for (const byLife of s.lives.values()) {
    for (const r of byLife.values()) {
      if (!Number.isNaN(r.spawn) && r.deaths > 0) {
        completed += r.deaths;
        total += r.deathTimeSum - r.deaths * r.spawn;
      }
    }
  }
  s.livesCompleted = completed;
  s.survivalTotalMs = total;
};

const copyLives = (lives: Map<string, Map<number, LifeRecord>>): Map<string, Map<number, LifeRecord>> => {
  const out = new Map<string, Map<number, LifeRecord>>();
  for (const [matchId, byLife] of lives) {
    const copy = new Map<number, LifeRecord>();
    for (const [life, r] of byLife) copy.set(life, { ...r });
    out.set(matchId, copy);
  }
  return out;
};

const merge = (a: PlayerStatsState, b: PlayerStatsState): PlayerStatsState => {
  const lives = copyLives(a.lives);
  for (const [matchId, byLife] of b.lives) {
    let target = lives.get(matchId);
    if (target === undefined) {
      target = new Map();
      lives.set(matchId, target);
    }
    for (const [life, r] of byLife) {
      const t = target.get(life);
      if (t === undefined) {
        target.set(life, { ...r });
      } else {
        t.spawn = Number.isNaN(t.spawn)
          ? r.spawn
          : Number.isNaN(r.spawn)
            ? t.spawn
            : Math.min(t.spawn, r.spawn);
        t.deaths += r.deaths;
        t.deathTimeSum += r.deathTimeSum;
      }
    }
  }
  const out: PlayerStatsState = {
    kills: a.kills + b.kills,
    headshotKills: a.headshotKills + b.headshotKills,
    deaths: a.deaths + b.deaths,
    shots: a.shots + b.shots,
    hits: a.hits + b.hits,
    damage: mergeSums(a.damage, b.damage),
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
    matches: new Set([...a.matches, ...b.matches]),
    lives,
    livesCompleted: 0,
    survivalTotalMs: 0,
  };
  recomputeLives(out);
  return out;
};

const result = (s: PlayerStatsState): PlayerStats => {
  const matches = s.matches.size;
  return {
    kills: s.kills,
    deaths: s.deaths,
    headshot_kills: s.headshotKills,
    headshot_ratio: s.kills === 0 ? 0 : s.headshotKills / s.kills,
    kd_ratio: s.deaths === 0 ? s.kills : s.kills / s.deaths,
    matches,
    avg_kills_per_match: matches === 0 ? 0 : s.kills / matches,
    lives_completed: s.livesCompleted,
    avg_survival_ms: s.livesCompleted === 0 ? null : s.survivalTotalMs / s.livesCompleted,
    shots: s.shots,
    hits: s.hits,
    damage_dealt: valueOf(s.damage),
    first_seen: s.firstSeen === Infinity ? null : s.firstSeen,
    last_seen: s.lastSeen === -Infinity ? null : s.lastSeen,
  };
};

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const encode = (s: PlayerStatsState): JsonValue => {
  // One entry per match: [match_id, life, spawn|null, deaths, x, life, spawn|null, deaths, x, ...] where
  // x = total survival ms of the life's deaths when its spawn is known, else the sum of their death times.
  const lives: JsonValue[] = [];
  for (const matchId of [...s.lives.keys()].sort(compare)) {
    const byLife = s.lives.get(matchId)!;
    const entry: JsonValue[] = [matchId];
    for (const life of [...byLife.keys()].sort((x, y) => x - y)) {
      const r = byLife.get(life)!;
      const known = !Number.isNaN(r.spawn);
      entry.push(
        life,
        known ? r.spawn : null,
        r.deaths,
        known ? r.deathTimeSum - r.deaths * r.spawn : r.deathTimeSum,
      );
    }
    lives.push(entry);
  }
  return {
    v: 1,
    kills: s.kills,
    headshot_kills: s.headshotKills,
    deaths: s.deaths,
    shots: s.shots,
    hits: s.hits,
    damage: s.damage.slice(),
    first_seen: s.firstSeen === Infinity ? null : s.firstSeen,
    last_seen: s.lastSeen === -Infinity ? null : s.lastSeen,
    matches: [...s.matches].sort(compare),
    lives,
  };
};

const decode = (json: JsonValue): PlayerStatsState => {
  const o = obj(json, "");
  version(o, "", 1);
  const s = init();
  s.kills = field(o, "kills", "", count);
  s.headshotKills = field(o, "headshot_kills", "", count);
  if (s.headshotKills > s.kills) throw new StateCodecError("headshot_kills", "exceeds kills");
  s.deaths = field(o, "deaths", "", count);
  s.shots = field(o, "shots", "", count);
  s.hits = field(o, "hits", "", count);
  s.damage = restoreSum(field(o, "damage", "", arr).map((v, i) => num(v, `damage[${i}]`)));
  const first = field(o, "first_seen", "", nullable(int));
  const last = field(o, "last_seen", "", nullable(int));
  if ((first === null) !== (last === null) || (first !== null && last !== null && first > last)) {
    throw new StateCodecError("first_seen", "inconsistent with last_seen");
  }
  s.firstSeen = first ?? Infinity;
  s.lastSeen = last ?? -Infinity;
  field(o, "matches", "", arr).forEach((v, i) => s.matches.add(str(v, `matches[${i}]`)));
  field(o, "lives", "", arr).forEach((entry, i) => {
    const path = `lives[${i}]`;
    const t = arr(entry, path);
    if (t.length < 5 || (t.length - 1) % 4 !== 0) {
      throw new StateCodecError(path, "expected [match_id, (life, spawn, deaths, x)...]");
    }
    const matchId = str(t[0], `${path}[0]`);
    if (s.lives.has(matchId)) throw new StateCodecError(`${path}[0]`, "duplicate match");
    for (let j = 1; j < t.length; j += 4) {
      const life = int(t[j], `${path}[${j}]`);
      if (life < 1) throw new StateCodecError(`${path}[${j}]`, "expected a life >= 1");
      const spawn = nullable(int)(t[j + 1], `${path}[${j + 1}]`);
      const deaths = count(t[j + 2], `${path}[${j + 2}]`);
      const x = int(t[j + 3], `${path}[${j + 3}]`);
      if (s.lives.get(matchId)?.has(life) === true)
        throw new StateCodecError(`${path}[${j}]`, "duplicate life");
      if (spawn === null && deaths === 0) throw new StateCodecError(`${path}[${j}]`, "empty life");
      const record = lifeOf(s, matchId, life);
      record.spawn = spawn ?? NaN;
      record.deaths = deaths;
      record.deathTimeSum = spawn === null ? x : x + deaths * spawn;
    }
  });
  recomputeLives(s);
  return s;
};

/**
 * JSON codec of `PlayerStatsState`: `{ v: 1, kills, ..., matches: [match_id...], lives: [[match_id, life,
 * spawn|null, deaths, x, life, ...]...] }` (x = survival ms when the spawn is known, else the sum of death
 * times), sorted, so equal states encode identically. Size: about 25 bytes per life plus one id per match.
 *
 * @example
 * import { playerStatsCodec, playerStatsReducer } from "@gametel/core";
 * const json = playerStatsCodec.encode(playerStatsReducer.init());
 */
export const playerStatsCodec: StateCodec<PlayerStatsState> = { encode, decode };

/**
 * The `PlayerStats` reducer. Feed it only the events of one (`game_id`, `player_id`) — the events whose
 * `partitionKey` is `game_id:player_id`; other events are counted in `first_seen`/`last_seen` only if fed.
 * `reduce` mutates and returns the state it is given.
 *
 * @example
 * import { decodeEvent, playerStatsReducer as r } from "@gametel/core";
 * let s = r.init();
 * for (const bytes of messages) { const d = decodeEvent(bytes); if (d.ok) s = r.reduce(s, d.event); }
 * r.result(s).kd_ratio;
 */
export const playerStatsReducer: Reducer<PlayerStatsState, TelemetryEvent, PlayerStats> = {
  init,
  reduce,
  merge,
  result,
  codec: playerStatsCodec,
};

/**
 * Options of `windowedPlayerStats`.
 *
 * @example
 * import { windowedPlayerStats, tumblingWindow } from "@gametel/core";
 * windowedPlayerStats(tumblingWindow(), { lifeHorizonMs: 900_000 });
 */
export interface WindowedPlayerStatsOptions {
  /**
   * How far (ms of event time) after a spawn its window state can still complete the life; default the
   * window size. Larger values carry each spawn into more windows.
   */
  readonly lifeHorizonMs?: number;
}

/**
 * Windowed `PlayerStats`: the same fields per event-time window, where a life counts in the window of its
 * death. Every event goes into the windows containing its `event_time` and counts there as in
 * `playerStatsReducer`; a `player_spawn` at time s is also carried, as context only (it adds no counter,
 * `matches` or `first_seen`), into every later window W with `W.start <= s + lifeHorizonMs`.
 * So a life (spawn s, death d) counts in each window W containing d for which `W.start <= s + lifeHorizonMs`
 * and `W.end > s` — always when `d - s <= lifeHorizonMs` (default: the window size). When several spawns
 * share the life, a window uses the earliest of the spawns assigned to it (its own and the carried ones). A death whose spawn is
 * older than that counts in `deaths` but not in `lives_completed` of its window (the all-time stats count it).
 * A window that holds only carried spawns has `first_seen = null`; runtimes may skip emitting it.
 * The per-window state is self-contained: a window's result depends only on the events assigned to it.
 *
 * @throws {RangeError} when `lifeHorizonMs` is negative or not an integer.
 * @example
 * import { reduceIntoWindows, tumblingWindow, windowedPlayerStats } from "@gametel/core";
 * const w = windowedPlayerStats(tumblingWindow());
 * const states = new Map();
 * reduceIntoWindows(w, states, event, watermark);
 */
export const windowedPlayerStats = (
  spec: WindowSpec = tumblingWindow(),
  options: WindowedPlayerStatsOptions = {},
): WindowedReducer<PlayerStatsState, TelemetryEvent, PlayerStats> => {
  const horizon = options.lifeHorizonMs ?? spec.sizeMs;
  if (!Number.isSafeInteger(horizon) || horizon < 0) {
    throw new RangeError(`lifeHorizonMs must be an integer >= 0, got ${horizon}`);
  }
  return {
    spec,
    reducer: playerStatsReducer,
    windowsOf: (e: TelemetryEvent): ReadonlyArray<Window> =>
      e.event_type === "player_spawn"
        ? windowsOverlapping(e.event_time, e.event_time + horizon, spec)
        : windowsFor(e.event_time, spec),
    reduce: (s: PlayerStatsState, e: TelemetryEvent, w: Window): PlayerStatsState => {
      if (e.event_type === "player_spawn" && (e.event_time < w.start || e.event_time >= w.end)) {
        recordSpawn(s, e.match_id, e.data.life, e.event_time);
        return s;
      }
      return reduce(s, e);
    },
  };
};
