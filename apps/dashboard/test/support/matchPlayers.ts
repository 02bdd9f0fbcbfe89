import { decodeEvent, playerStatsReducer, reduceAll } from "@gametel/core";
import type { PlayerStats, TelemetryEvent } from "@gametel/core";
import type { GeneratedRecord } from "./pipeline.js";

// `match_players` recomputed from the records a test fed, as its contract says: what the processor must have written.

export interface MatchPlayerDoc extends Omit<PlayerStats, "first_seen" | "last_seen"> {
  _id: string;
  game_id: string;
  match_id: string;
  player_id: string;
  first_seen: Date | null;
  last_seen: Date | null;
}

/** `match_players` as its contract says: core's PlayerStats over each player's events in each match. */
export function matchPlayers(fed: readonly GeneratedRecord[]): MatchPlayerDoc[] {
  const seen = new Set<string>();
  const groups = new Map<string, TelemetryEvent[]>();
  for (const r of fed) {
    const decoded = decodeEvent(r.json);
    if (!decoded.ok || seen.has(decoded.event.event_id)) continue;
    seen.add(decoded.event.event_id);
    const e = decoded.event;
    if (e.match_id === null || !("player_id" in e) || typeof e.player_id !== "string") continue;
    const key = `${e.game_id}:${e.match_id}|${e.game_id}:${e.player_id}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups].map(([id, events]) => {
    const stats = playerStatsReducer.result(reduceAll(playerStatsReducer, events));
    const e = events[0]! as TelemetryEvent & { player_id: string };
    const date = (t: number | null) => (t === null ? null : new Date(t));
    return {
      _id: id,
      game_id: e.game_id,
      match_id: e.match_id!,
      player_id: e.player_id,
      ...stats,
      first_seen: date(stats.first_seen),
      last_seen: date(stats.last_seen),
    };
  });
}
