import type { CollectionNames } from "@gametel/runtime";

/** The OData primitive types the feed uses. */
export type EdmType = "Edm.String" | "Edm.Int64" | "Edm.Double" | "Edm.DateTimeOffset";

/** One property of an entity type: its OData name and type, and where it lives in the MongoDB document. */
export interface EntityProperty {
  readonly name: string;
  readonly type: EdmType;
  readonly nullable: boolean;
  /** Dotted MongoDB path; comes from this table only, never from a request. */
  readonly path: string;
  readonly description: string;
}

/** One entity set of the feed: a MongoDB collection written by the processors, seen through a whitelist. */
export interface EntitySetSpec {
  readonly name: string;
  readonly entityType: string;
  readonly collection: keyof CollectionNames;
  readonly description: string;
  /** Every property, key first. Anything else in the documents (fields starting with `_`) is never read out. */
  readonly properties: readonly EntityProperty[];
  /** Always ANDed with the request's $filter (e.g. hides the context-only windows). */
  readonly baseFilter: Readonly<Record<string, unknown>>;
}

export const KEY_PROPERTY = "id";

const prop = (
  name: string,
  type: EdmType,
  description: string,
  options: { nullable?: boolean; path?: string } = {},
): EntityProperty => ({
  name,
  type,
  nullable: options.nullable ?? false,
  path: options.path ?? name,
  description,
});

const key = (description: string) => prop(KEY_PROPERTY, "Edm.String", description, { path: "_id" });

const PLAYER_STATS: readonly EntityProperty[] = [
  prop("kills", "Edm.Int64", "Number of player_kill events."),
  prop("deaths", "Edm.Int64", "Number of player_death events."),
  prop("headshot_kills", "Edm.Int64", "Kills with data.headshot."),
  prop("headshot_ratio", "Edm.Double", "headshot_kills / kills (0 when no kills)."),
  prop("kd_ratio", "Edm.Double", "kills / deaths, or kills when deaths = 0."),
  prop("matches", "Edm.Int64", "Distinct match_id among player_spawn events."),
  prop("avg_kills_per_match", "Edm.Double", "kills / matches (0 when no matches)."),
  prop("lives_completed", "Edm.Int64", "Deaths that have a spawn with the same match_id and life."),
  prop("avg_survival_ms", "Edm.Double", "Mean life length in ms over completed lives (null when none).", {
    nullable: true,
  }),
  prop("shots", "Edm.Int64", "Number of shot_fired events."),
  prop("hits", "Edm.Int64", "Number of player_hit events."),
  prop("damage_dealt", "Edm.Double", "Exact sum of data.damage of player_hit events."),
  prop("first_seen", "Edm.DateTimeOffset", "Earliest event_time of the player's events.", { nullable: true }),
  prop("last_seen", "Edm.DateTimeOffset", "Latest event_time of the player's events.", { nullable: true }),
  prop("updated_at", "Edm.DateTimeOffset", "When the processor last wrote this row."),
];

const summary = (metric: string, path: string, unit: string, what: string): EntityProperty[] => [
  prop(`${metric}_count`, "Edm.Int64", `Samples carrying ${what}.`, {
    nullable: true,
    path: `${path}.count`,
  }),
  ...(["min", "max", "p50", "p95", "p99"] as const).map((stat) =>
    prop(`${metric}_${stat}${unit}`, "Edm.Double", `${stat} of ${what} in the window.`, {
      nullable: true,
      path: `${path}.${stat}`,
    }),
  ),
];

/** The feed's entity sets, in the order of the service document. */
export const ENTITY_SETS: readonly EntitySetSpec[] = [
  {
    name: "PlayerStats",
    entityType: "PlayerStats",
    collection: "playerStats",
    description: "All-time statistics, one row per game and player.",
    properties: [
      key("game_id:player_id"),
      prop("game_id", "Edm.String", "Game."),
      prop("player_id", "Edm.String", "Player."),
      ...PLAYER_STATS,
    ],
    baseFilter: {},
  },
  {
    name: "PlayerStatsWindows",
    entityType: "PlayerStatsWindow",
    collection: "playerWindows",
    description: "Player statistics per tumbling event-time window (5 minutes by default).",
    properties: [
      key("game_id:player_id|window start in epoch ms"),
      prop("game_id", "Edm.String", "Game."),
      prop("player_id", "Edm.String", "Player."),
      prop("window_start", "Edm.DateTimeOffset", "Window start (inclusive)."),
      prop("window_end", "Edm.DateTimeOffset", "Window end (exclusive)."),
      ...PLAYER_STATS,
    ],
    // Documents with first_seen null only carry spawns into later windows; they are state, not results.
    baseFilter: { first_seen: { $ne: null } },
  },
  {
    name: "MatchStats",
    entityType: "MatchStats",
    collection: "matchStats",
    description: "One row per match.",
    properties: [
      key("game_id:match_id"),
      prop("game_id", "Edm.String", "Game."),
      prop("match_id", "Edm.String", "Match."),
      prop("start", "Edm.DateTimeOffset", "match_start event_time.", { nullable: true }),
      prop("end", "Edm.DateTimeOffset", "match_end event_time.", { nullable: true }),
      prop("duration_ms", "Edm.Int64", "end - start in ms (null until both are known).", { nullable: true }),
      prop("map", "Edm.String", "Map.", { nullable: true }),
      prop("mode", "Edm.String", "Mode.", { nullable: true }),
      prop("winning_team", "Edm.String", "Winning team (null on a tie or before the end).", {
        nullable: true,
      }),
      prop("players", "Edm.Int64", "Distinct players that spawned in the match."),
      prop("kills", "Edm.Int64", "player_kill events of the match."),
      prop("top_killer_id", "Edm.String", "Player with the most kills.", {
        nullable: true,
        path: "top_killer.player_id",
      }),
      prop("top_killer_kills", "Edm.Int64", "Kills of the top killer.", {
        nullable: true,
        path: "top_killer.kills",
      }),
      prop("updated_at", "Edm.DateTimeOffset", "When the processor last wrote this row."),
    ],
    baseFilter: {},
  },
  {
    name: "ServerPerformance",
    entityType: "ServerPerformanceWindow",
    collection: "serverPerf",
    description: "Server performance per server and window: ping, fps and frame time summaries.",
    properties: [
      key("game_id:server_id|window start in epoch ms"),
      prop("game_id", "Edm.String", "Game."),
      prop("server_id", "Edm.String", "Server."),
      prop("window_start", "Edm.DateTimeOffset", "Window start (inclusive)."),
      prop("window_end", "Edm.DateTimeOffset", "Window end (exclusive)."),
      prop("count", "Edm.Int64", "perf_sample events in the window."),
      ...summary("ping", "ping_ms", "_ms", "ping_ms"),
      ...summary("fps", "fps", "", "fps"),
      ...summary("frame_time", "frame_time_ms", "_ms", "frame_time_ms"),
      prop("updated_at", "Edm.DateTimeOffset", "When the processor last wrote this row."),
    ],
    baseFilter: {},
  },
];

/** The entity set of that exact name (OData names are case-sensitive), or undefined. */
export function entitySet(name: string): EntitySetSpec | undefined {
  return ENTITY_SETS.find((set) => set.name === name);
}

/** The property of that exact name, or undefined. */
export function property(set: EntitySetSpec, name: string): EntityProperty | undefined {
  return set.properties.find((p) => p.name === name);
}
