/** MongoDB collection names used by the runtime (configurable; these are the documented defaults). */
export interface CollectionNames {
  /** One document per (game_id, player_id): all-time PlayerStats. */
  readonly playerStats: string;
  /** One document per player and tumbling window: windowed PlayerStats. */
  readonly playerWindows: string;
  /** One document per match: MatchStats merged from per-partition parts. */
  readonly matchStats: string;
  /** One document per server and window: ServerPerf merged from per-partition parts. */
  readonly serverPerf: string;
  /** Internal: per input key dedup state, stream time and exact counters (the batch commit marker). */
  readonly keyState: string;
}

export const DEFAULT_COLLECTIONS: CollectionNames = {
  playerStats: "player_stats",
  playerWindows: "player_stats_5m",
  matchStats: "match_stats",
  serverPerf: "server_perf_5m",
  keyState: "key_state",
};
