/**
 * The warehouse schema of gametel's insight collections: one table per collection, its columns in file
 * order and their types. The Parquet files, the DuckDB reader in the tests and the generated Snowflake DDL
 * all come from these declarations, so a column has one type everywhere.
 */
import { DEFAULT_COLLECTIONS } from "@gametel/runtime";

export type ScalarType = "string" | "int64" | "float64" | "timestamp" | "boolean";

export type ColumnType = ScalarType | { readonly struct: readonly Column[] };

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** False only for `_id` and the identity fields every document has. */
  readonly nullable: boolean;
}

export type InsightTableName = "player_stats" | "player_windows" | "match_stats" | "server_perf";

export interface InsightTable {
  /** Table name in the warehouse and folder name under the export directory. */
  readonly name: InsightTableName;
  /** MongoDB collection it is read from (the runtime's default name). */
  readonly collection: string;
  readonly columns: readonly Column[];
  /**
   * Timestamp column whose UTC date is the file's `date=` partition; when it is null in a document, the date
   * of `updated_at` is used.
   */
  readonly dateColumn: string;
}

const col = (name: string, type: ColumnType, nullable = true): Column => ({ name, type, nullable });
const required = (name: string, type: ColumnType): Column => col(name, type, false);

/** PlayerStats as the processors store it (`playerStatsFields`): counts, ratios, times as dates. */
const playerStatsColumns: readonly Column[] = [
  required("kills", "int64"),
  required("deaths", "int64"),
  required("headshot_kills", "int64"),
  required("headshot_ratio", "float64"),
  required("kd_ratio", "float64"),
  required("matches", "int64"),
  required("avg_kills_per_match", "float64"),
  required("lives_completed", "int64"),
  col("avg_survival_ms", "float64"),
  required("shots", "int64"),
  required("hits", "int64"),
  required("damage_dealt", "float64"),
  col("first_seen", "timestamp"),
  col("last_seen", "timestamp"),
];

const metricSummary: ColumnType = {
  struct: [
    required("count", "int64"),
    required("min", "float64"),
    required("max", "float64"),
    // p1 and p5 since core's MetricSummary has them (fps lows); windows written before have none.
    col("p1", "float64"),
    col("p5", "float64"),
    required("p50", "float64"),
    required("p95", "float64"),
    required("p99", "float64"),
  ],
};

const updatedAt = required("updated_at", "timestamp");

export const INSIGHT_TABLES: readonly InsightTable[] = [
  {
    name: "player_stats",
    collection: DEFAULT_COLLECTIONS.playerStats,
    columns: [
      required("_id", "string"),
      required("game_id", "string"),
      required("player_id", "string"),
      ...playerStatsColumns,
      updatedAt,
    ],
    dateColumn: "updated_at",
  },
  {
    name: "player_windows",
    collection: DEFAULT_COLLECTIONS.playerWindows,
    columns: [
      required("_id", "string"),
      required("game_id", "string"),
      required("player_id", "string"),
      required("window_start", "timestamp"),
      required("window_end", "timestamp"),
      ...playerStatsColumns,
      updatedAt,
    ],
    dateColumn: "window_start",
  },
  {
    name: "match_stats",
    collection: DEFAULT_COLLECTIONS.matchStats,
    columns: [
      required("_id", "string"),
      required("game_id", "string"),
      required("match_id", "string"),
      col("server_id", "string"),
      col("start", "timestamp"),
      col("end", "timestamp"),
      col("duration_ms", "int64"),
      col("map", "string"),
      col("mode", "string"),
      col("winning_team", "string"),
      required("players", "int64"),
      required("kills", "int64"),
      col("top_killer", { struct: [required("player_id", "string"), required("kills", "int64")] }),
      updatedAt,
    ],
    dateColumn: "start",
  },
  {
    name: "server_perf",
    collection: DEFAULT_COLLECTIONS.serverPerf,
    columns: [
      required("_id", "string"),
      required("game_id", "string"),
      required("server_id", "string"),
      required("window_start", "timestamp"),
      required("window_end", "timestamp"),
      required("count", "int64"),
      col("ping_ms", metricSummary),
      col("fps", metricSummary),
      col("frame_time_ms", metricSummary),
      updatedAt,
    ],
    dateColumn: "window_start",
  },
];

export const insightTable = (name: string): InsightTable | undefined =>
  INSIGHT_TABLES.find((t) => t.name === name);
