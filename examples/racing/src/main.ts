/**
 * Runnable demo: decodes a small race (core and racing events, one malformed), keys the events the way
 * the stream runtime would, and prints each player's LapStats and PlayerStats.
 * Run: pnpm --filter @gametel/example-racing start
 */
import { isTelemetryEvent, playerStatsReducer, type PlayerStatsState } from "@gametel/core";
import { RacingEvents } from "./Events.js";
import { lapStatsReducer, type LapStatsState } from "./LapStats.js";

let n = 0;
const id = () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, "0")}`;
const envelope = (type: string, player: string, time: number) => ({
  event_id: id(),
  event_type: type,
  event_version: 1,
  event_time: time,
  game_id: "kart-racer",
  server_id: "eu-1",
  match_id: "race-1",
  player_id: player,
});

const lines = [
  { ...envelope("player_spawn", "ana", 0), data: { life: 1, position: { x: 0, y: 0, z: 0 } } },
  { ...envelope("player_spawn", "ben", 0), data: { life: 1, position: { x: 2, y: 0, z: 0 } } },
  { ...envelope("lap_completed", "ana", 61_200), data: { lap: 1, lap_time_ms: 61_200, track: "harbour" } },
  { ...envelope("lap_completed", "ben", 63_900), data: { lap: 1, lap_time_ms: 63_900, track: "harbour" } },
  { ...envelope("checkpoint_passed", "ana", 90_000), data: { lap: 2, checkpoint: 1, split_ms: 28_800 } },
  { ...envelope("lap_completed", "ana", 120_500), data: { lap: 2, lap_time_ms: 59_300, track: "harbour" } },
  { ...envelope("lap_completed", "ben", 126_000), data: { lap: 2, lap_time_ms: 62_100, track: "harbour" } },
  { ...envelope("race_finished", "ana", 120_500), data: { position: 1, total_time_ms: 120_500 } },
  { ...envelope("race_finished", "ben", 126_000), data: { position: 2, total_time_ms: 126_000 } },
  { ...envelope("lap_completed", "ben", 127_000), data: { lap: 0, lap_time_ms: -5, track: "harbour" } },
].map((o) => JSON.stringify(o));

const laps = new Map<string, LapStatsState>();
const players = new Map<string, PlayerStatsState>();
for (const line of lines) {
  const r = RacingEvents.decode(line);
  if (!r.ok) {
    console.log(`dead letter: ${r.error.path}: ${r.error.reason}`);
    continue;
  }
  const key = RacingEvents.partitionKey(r.event);
  laps.set(key, lapStatsReducer.reduce(laps.get(key) ?? lapStatsReducer.init(), r.event));
  if (isTelemetryEvent(r.event)) {
    // Core events of the same stream feed the core reducers unchanged.
    players.set(key, playerStatsReducer.reduce(players.get(key) ?? playerStatsReducer.init(), r.event));
  }
}
for (const [key, state] of laps) {
  console.log(key, JSON.stringify(lapStatsReducer.result(state)));
  const p = players.get(key);
  if (p !== undefined) console.log(`${key} matches=${playerStatsReducer.result(p).matches}`);
}
