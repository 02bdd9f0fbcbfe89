// What the dashboard's API and live stream send to the web UI (times as epoch ms). Types only: the web build
// imports this file too.

export const LEADERBOARD_SORTS = ["kd_ratio", "kills", "avg_kills_per_match", "avg_survival_ms"] as const;
export type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number];

export interface GamesView {
  readonly games: readonly string[];
}

export interface LeaderboardRow {
  readonly rank: number;
  readonly player_id: string;
  readonly kills: number;
  readonly deaths: number;
  readonly kd_ratio: number;
  readonly matches: number;
  readonly avg_kills_per_match: number;
  readonly avg_survival_ms: number | null;
  readonly headshot_ratio: number;
  readonly last_seen: number | null;
}

export interface LeaderboardView {
  readonly game: string | null;
  readonly sort: LeaderboardSort;
  readonly q: string;
  /** Players of the game (all of them, not only the matching ones). */
  readonly players: number;
  readonly rows: readonly LeaderboardRow[];
}

export interface PlayerStatsView {
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
  readonly updated_at: number | null;
}

export interface WindowPoint {
  readonly window_start: number;
  readonly kills: number;
  readonly deaths: number;
  readonly kd_ratio: number;
  readonly avg_survival_ms: number | null;
}

export interface PlayerView {
  readonly game: string;
  readonly player_id: string;
  readonly stats: PlayerStatsView | null;
  /** The player's windows, oldest first (the most recent ones when there are many). */
  readonly windows: readonly WindowPoint[];
}

export interface MatchRow {
  readonly match_id: string;
  readonly start: number | null;
  readonly end: number | null;
  readonly duration_ms: number | null;
  readonly map: string | null;
  readonly mode: string | null;
  readonly winning_team: string | null;
  readonly players: number;
  readonly kills: number;
  readonly top_killer: { readonly player_id: string; readonly kills: number } | null;
}

export interface MatchesView {
  readonly game: string | null;
  readonly matches: readonly MatchRow[];
}

export interface MatchView {
  readonly game: string;
  readonly match: MatchRow | null;
}

export interface MetricSummaryView {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface ServerPoint {
  readonly window_start: number;
  readonly count: number;
  readonly ping_ms: MetricSummaryView | null;
  readonly fps: MetricSummaryView | null;
  readonly frame_time_ms: MetricSummaryView | null;
}

export interface ServersView {
  readonly game: string | null;
  readonly servers: readonly string[];
  readonly server: string | null;
  readonly points: readonly ServerPoint[];
}

export interface TargetHealth {
  readonly url: string;
  readonly up: boolean;
  readonly error: string | null;
  readonly consumed: number;
  readonly valid: number;
  readonly deadLettered: number;
  readonly duplicates: number;
  readonly late: number;
  readonly skippedApplied: number;
  readonly lag: number;
  readonly assignedPartitions: number;
  readonly storeRetries: number;
  /** Of deadLettered: valid events on another partition than murmur2 gives their partition key. */
  readonly misPartitioned: number;
  /** Of deadLettered: valid events with an event_time before the floor or too far in the future. */
  readonly eventTimeOutOfRange: number;
  /** Dead letters sent as a reference because the record was too large. */
  readonly deadLettersTruncated: number;
  /** Records consumed per second since the previous sample (null on the first one). */
  readonly eventsPerSecond: number | null;
  /** Mean end-to-end latency (event time to MongoDB write), seconds; null before any event. */
  readonly meanLatencySeconds: number | null;
}

export interface HealthPoint {
  readonly time: number;
  readonly eventsPerSecond: number | null;
  readonly lag: number;
  readonly deadLettered: number;
  readonly late: number;
}

/**
 * Dead letters read from the dead-letter topics: every record, and distinct ones by their source topic, partition
 * and offset headers (dead letters are at-least-once: a replay after a crash sends some again).
 */
export interface DeadLetterCount {
  readonly topics: readonly string[];
  readonly records: number;
  readonly distinct: number;
  /** More distinct dead letters than the dashboard remembers: `distinct` is a lower bound. */
  readonly capped: boolean;
  /** Why the topics cannot be read right now (counts are from the last successful read), or null. */
  readonly error: string | null;
}

export interface HealthView {
  readonly time: number;
  readonly targets: readonly TargetHealth[];
  readonly totals: Omit<TargetHealth, "url" | "up" | "error" | "meanLatencySeconds"> & {
    readonly up: number;
  };
  readonly history: readonly HealthPoint[];
  /** null when no dead-letter topic is configured (GAMETEL_DLQ_TOPICS empty). */
  readonly deadLetters: DeadLetterCount | null;
}

/** One message of the live stream (`/api/live`, event `view`). */
export interface LiveMessage<T = unknown> {
  readonly view: string;
  readonly data: T;
}
