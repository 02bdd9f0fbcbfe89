/** Arena's insight collections by aggregation name (configurable; these are the documented defaults). */
export interface ArenaCollections {
  /** One document per (game_id, player_id): all-time PlayerStats. */
  readonly playerStats: string;
  /** One document per player and tumbling window: windowed PlayerStats. */
  readonly playerWindows: string;
  /** One document per match: MatchStats merged from per-partition parts. */
  readonly matchStats: string;
  /** One document per server and window: ServerPerf merged from per-partition parts. */
  readonly serverPerf: string;
  /** One document per (match, player): the player's PlayerStats within the match (the scoreboard). */
  readonly matchPlayers: string;
  /** One document per (player, weapon): kills and headshot kills with that weapon. */
  readonly weaponKills: string;
}

/** Arena's collections and the runtime's own `key_state`. */
export interface CollectionNames extends ArenaCollections {
  /** Internal: per input key dedup state, stream time and exact counters (the batch commit marker). */
  readonly keyState: string;
}

export const ARENA_COLLECTIONS: ArenaCollections = {
  playerStats: "player_stats",
  playerWindows: "player_stats_5m",
  matchStats: "match_stats",
  serverPerf: "server_perf_5m",
  matchPlayers: "match_players",
  weaponKills: "weapon_kills",
};

export const DEFAULT_COLLECTIONS: CollectionNames = { ...ARENA_COLLECTIONS, keyState: "key_state" };
