/**
 * `LapStats` for one (game_id, player_id): laps completed, best and average lap time, races finished, wins
 * and best finishing position. Exact and order-independent (lap times are whole milliseconds).
 */
import { StateCodecError, type JsonValue, type Reducer } from "@gametel/core";
import type { RacingEvent } from "./Events.js";

export interface LapStats {
  readonly laps: number;
  readonly best_lap_ms: number | null;
  readonly avg_lap_ms: number | null;
  readonly races_finished: number;
  readonly wins: number;
  readonly best_position: number | null;
}

export interface LapStatsState {
  laps: number;
  lapTimeTotalMs: number;
  bestLapMs: number;
  races: number;
  wins: number;
  bestPosition: number;
}

const init = (): LapStatsState => ({
  laps: 0,
  lapTimeTotalMs: 0,
  bestLapMs: Infinity,
  races: 0,
  wins: 0,
  bestPosition: Infinity,
});

const reduce = (s: LapStatsState, e: RacingEvent): LapStatsState => {
  switch (e.event_type) {
    case "lap_completed":
      s.laps++;
      s.lapTimeTotalMs += e.data.lap_time_ms;
      if (e.data.lap_time_ms < s.bestLapMs) s.bestLapMs = e.data.lap_time_ms;
      break;
    case "race_finished":
      s.races++;
      if (e.data.position === 1) s.wins++;
      if (e.data.position < s.bestPosition) s.bestPosition = e.data.position;
      break;
    default:
      break;
  }
  return s;
};

const merge = (a: LapStatsState, b: LapStatsState): LapStatsState => ({
  laps: a.laps + b.laps,
  lapTimeTotalMs: a.lapTimeTotalMs + b.lapTimeTotalMs,
  bestLapMs: Math.min(a.bestLapMs, b.bestLapMs),
  races: a.races + b.races,
  wins: a.wins + b.wins,
  bestPosition: Math.min(a.bestPosition, b.bestPosition),
});

const result = (s: LapStatsState): LapStats => ({
  laps: s.laps,
  best_lap_ms: s.laps === 0 ? null : s.bestLapMs,
  avg_lap_ms: s.laps === 0 ? null : s.lapTimeTotalMs / s.laps,
  races_finished: s.races,
  wins: s.wins,
  best_position: s.races === 0 ? null : s.bestPosition,
});

const nat = (o: Record<string, JsonValue>, key: string): number => {
  const v = o[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    throw new StateCodecError(key, "expected an integer >= 0");
  return v;
};

/** The reducer, with a JSON codec (fixed keys only). */
export const lapStatsReducer: Reducer<LapStatsState, RacingEvent, LapStats> = {
  init,
  reduce,
  merge,
  result,
  codec: {
    encode: (s) => ({
      v: 1,
      laps: s.laps,
      lap_time_total_ms: s.lapTimeTotalMs,
      best_lap_ms: s.laps === 0 ? null : s.bestLapMs,
      races: s.races,
      wins: s.wins,
      best_position: s.races === 0 ? null : s.bestPosition,
    }),
    decode: (json) => {
      if (typeof json !== "object" || json === null || Array.isArray(json))
        throw new StateCodecError("", "expected an object");
      const o = json as Record<string, JsonValue>;
      if (o["v"] !== 1) throw new StateCodecError("v", "expected format version 1");
      const s = init();
      s.laps = nat(o, "laps");
      s.lapTimeTotalMs = nat(o, "lap_time_total_ms");
      s.races = nat(o, "races");
      s.wins = nat(o, "wins");
      s.bestLapMs = s.laps === 0 ? Infinity : nat(o, "best_lap_ms");
      s.bestPosition = s.races === 0 ? Infinity : nat(o, "best_position");
      if (s.wins > s.races) throw new StateCodecError("wins", "exceeds races");
      return s;
    },
  },
};
