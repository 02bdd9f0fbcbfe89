import { MATCH_STATS_FIELDS, METRIC_SUMMARY_FIELDS, PLAYER_STATS_FIELDS } from "@gametel/core";
import type { ResultField, ResultFieldKind, ResultFieldsOf } from "@gametel/core";
import type { DashboardCollections } from "../Collections.js";

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
  readonly collection: keyof DashboardCollections;
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

const IDS = { game_id: "Game.", player_id: "Player.", match_id: "Match.", server_id: "Server." } as const;
/** The key and the id properties of a set (strings, never null). */
const keyAndIds = (description: string, ...ids: (keyof typeof IDS)[]): EntityProperty[] => [
  key(description),
  ...ids.map((id) => prop(id, "Edm.String", IDS[id])),
];

const EDM: Record<Exclude<ResultFieldKind, "object">, EdmType> = {
  count: "Edm.Int64",
  number: "Edm.Double",
  time: "Edm.DateTimeOffset",
  string: "Edm.String",
};

/** The scalar fields of one of core's field tables as properties (object fields are flattened by the set). */
const fromCore = <T>(fields: ResultFieldsOf<T>): EntityProperty[] =>
  (Object.entries(fields) as [string, ResultField][])
    .filter(([, f]) => f.kind !== "object")
    .map(([name, f]) =>
      prop(name, EDM[f.kind as Exclude<ResultFieldKind, "object">], f.description, { nullable: f.nullable }),
    );

const updatedAt = prop("updated_at", "Edm.DateTimeOffset", "When the processor last wrote this row.");
const PLAYER_STATS: readonly EntityProperty[] = [...fromCore(PLAYER_STATS_FIELDS), updatedAt];

/** A MetricSummary flattened: `<metric>_count`, `<metric>_min<unit>`, … `<metric>_p99<unit>`. */
const summary = (metric: string, path: string, unit: string, what: string): EntityProperty[] =>
  (Object.entries(METRIC_SUMMARY_FIELDS) as [string, ResultField][]).map(([stat, f]) =>
    prop(
      stat === "count" ? `${metric}_count` : `${metric}_${stat}${unit}`,
      EDM[f.kind as Exclude<ResultFieldKind, "object">],
      `${what} in the window: ${f.description}`,
      { nullable: true, path: `${path}.${stat}` },
    ),
  );

/** The feed's entity sets, in the order of the service document. */
export const ENTITY_SETS: readonly EntitySetSpec[] = [
  {
    name: "PlayerStats",
    entityType: "PlayerStats",
    collection: "playerStats",
    description: "All-time statistics, one row per game and player.",
    properties: [...keyAndIds("game_id:player_id", "game_id", "player_id"), ...PLAYER_STATS],
    baseFilter: {},
  },
  {
    name: "PlayerStatsWindows",
    entityType: "PlayerStatsWindow",
    collection: "playerWindows",
    description: "Player statistics per tumbling event-time window (5 minutes by default).",
    properties: [
      ...keyAndIds("game_id:player_id|window start in epoch ms", "game_id", "player_id"),
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
      ...keyAndIds("game_id:match_id", "game_id", "match_id"),
      ...fromCore(MATCH_STATS_FIELDS),
      prop("top_killer_id", "Edm.String", "Player with the most kills.", {
        nullable: true,
        path: "top_killer.player_id",
      }),
      prop("top_killer_kills", "Edm.Int64", "Kills of the top killer.", {
        nullable: true,
        path: "top_killer.kills",
      }),
      updatedAt,
    ],
    baseFilter: {},
  },
  {
    name: "MatchPlayers",
    entityType: "MatchPlayer",
    collection: "matchPlayers",
    description: "One row per match and player: the player's statistics over their events in that match.",
    properties: [
      ...keyAndIds("game_id:match_id|player", "game_id", "match_id", "player_id"),
      ...fromCore(PLAYER_STATS_FIELDS),
    ],
    baseFilter: {},
  },
  {
    name: "ServerPerformance",
    entityType: "ServerPerformanceWindow",
    collection: "serverPerf",
    description: "Server performance per server and window: ping, fps and frame time summaries.",
    properties: [
      ...keyAndIds("game_id:server_id|window start in epoch ms", "game_id", "server_id"),
      prop("window_start", "Edm.DateTimeOffset", "Window start (inclusive)."),
      prop("window_end", "Edm.DateTimeOffset", "Window end (exclusive)."),
      prop("count", "Edm.Int64", "perf_sample events in the window."),
      ...summary("ping", "ping_ms", "_ms", "ping_ms"),
      ...summary("fps", "fps", "", "fps"),
      ...summary("frame_time", "frame_time_ms", "_ms", "frame_time_ms"),
      updatedAt,
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
