/**
 * Batch recomputation of the insights straight from their written definitions, over a list of events
 * (no reducers, no incremental state): the oracle of the property tests.
 */
import type { TelemetryEvent } from "../Event.js";
import type { PlayerStats } from "../PlayerStats.js";
import { exactReferenceSum } from "./events.js";

const PLAYER_SCOPED = new Set([
  "session_start",
  "session_end",
  "player_spawn",
  "player_move",
  "shot_fired",
  "player_hit",
  "player_kill",
  "player_death",
]);

/**
 * PlayerStats of one player. Windowed definition: `spawnCounts(spawnTime)` selects the spawns that can
 * complete a life (the earliest of them is the life's spawn), `lifeCounts(spawnTime, deathTime)` filters lives.
 */
export const referencePlayerStats = (
  events: ReadonlyArray<TelemetryEvent>,
  options: {
    readonly counted?: (e: TelemetryEvent) => boolean;
    readonly spawnCounts?: (spawn: number) => boolean;
    readonly lifeCounts?: (spawn: number, death: number) => boolean;
  } = {},
): PlayerStats => {
  const counted = options.counted ?? (() => true);
  const own = events.filter((e) => PLAYER_SCOPED.has(e.event_type) && counted(e));
  const kills = own.filter((e) => e.event_type === "player_kill");
  const deaths = own.filter((e) => e.event_type === "player_death");
  const headshots = kills.filter((e) => e.event_type === "player_kill" && e.data.headshot).length;
  const matches = new Set(own.filter((e) => e.event_type === "player_spawn").map((e) => e.match_id)).size;
  const survivals: number[] = [];
  for (const d of deaths) {
    if (d.event_type !== "player_death") continue;
    const spawnTimes = events
      .filter(
        (s) => s.event_type === "player_spawn" && s.match_id === d.match_id && s.data.life === d.data.life,
      )
      .map((s) => s.event_time)
      .filter((t) => options.spawnCounts?.(t) ?? true);
    if (spawnTimes.length === 0) continue;
    const spawn = Math.min(...spawnTimes);
    if (options.lifeCounts !== undefined && !options.lifeCounts(spawn, d.event_time)) continue;
    survivals.push(d.event_time - spawn);
  }
  const hits = own.filter((e) => e.event_type === "player_hit");
  const times = own.map((e) => e.event_time);
  return {
    kills: kills.length,
    deaths: deaths.length,
    headshot_kills: headshots,
    headshot_ratio: kills.length === 0 ? 0 : headshots / kills.length,
    kd_ratio: deaths.length === 0 ? kills.length : kills.length / deaths.length,
    matches,
    avg_kills_per_match: matches === 0 ? 0 : kills.length / matches,
    lives_completed: survivals.length,
    avg_survival_ms: survivals.length === 0 ? null : survivals.reduce((a, b) => a + b, 0) / survivals.length,
    shots: own.filter((e) => e.event_type === "shot_fired").length,
    hits: hits.length,
    damage_dealt: exactReferenceSum(hits.map((e) => (e.event_type === "player_hit" ? e.data.damage : 0))),
    first_seen: times.length === 0 ? null : Math.min(...times),
    last_seen: times.length === 0 ? null : Math.max(...times),
  };
};
