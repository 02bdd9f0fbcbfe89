// What the dashboard's API and live stream send to the web UI (times as epoch ms). Types only (and constants): the
// web build imports this file too. The insights' own fields come from @gametel/core's types.
import type { MatchStats, MetricSummary, PlayerStats } from "@gametel/core";

export const LEADERBOARD_SORTS = ["kd_ratio", "kills", "avg_kills_per_match", "avg_survival_ms"] as const;
export type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number];

/** What the leaderboard's minimum sample counts: a player ranks with at least `min` of these. */
export const MIN_SAMPLE_BASES = ["matches", "deaths"] as const;
export type MinSampleBasis = (typeof MIN_SAMPLE_BASES)[number];
/**
 * The default minimum sample: 10 deaths, so a K/D is never kills over one or two deaths (one lucky life does not
 * make a leader), and a fresh game ranks players within minutes (matches last several minutes each).
 */
export const DEFAULT_MIN_SAMPLE = { basis: "deaths", min: 10 } as const;
export const MAX_MIN_SAMPLE = 10_000;

export interface GamesView {
  readonly games: readonly string[];
}

export type LeaderboardRow = Pick<
  PlayerStats,
  | "kills"
  | "deaths"
  | "kd_ratio"
  | "matches"
  | "avg_kills_per_match"
  | "avg_survival_ms"
  | "headshot_ratio"
  | "last_seen"
> & { readonly rank: number; readonly player_id: string };

export interface LeaderboardView {
  readonly game: string | null;
  readonly sort: LeaderboardSort;
  readonly q: string;
  readonly basis: MinSampleBasis;
  readonly min: number;
  /** Players of the game (all of them, not only the matching ones). */
  readonly players: number;
  /** Players of the game with at least `min` `basis` (those that can rank; the search is not applied). */
  readonly qualifying: number;
  readonly rows: readonly LeaderboardRow[];
}

/** All-time stats as stored (core's PlayerStats) and when the processor last wrote them. */
export type PlayerStatsView = PlayerStats & { readonly updated_at: number | null };

/** One tumbling window; `partial` when it has not ended yet by the dashboard's clock (still filling). */
export interface WindowBounds {
  readonly window_start: number;
  readonly window_end: number;
  readonly partial: boolean;
}

export type WindowPoint = WindowBounds &
  Pick<PlayerStats, "kills" | "deaths" | "kd_ratio" | "avg_survival_ms">;

export interface PlayerView {
  readonly game: string;
  readonly player_id: string;
  readonly stats: PlayerStatsView | null;
  /** The player's windows, oldest first (the most recent ones when there are many). */
  readonly windows: readonly WindowPoint[];
}

/**
 * `finished`: match_end seen; `in progress`: no match_end yet and the processor wrote to it in the last
 * `MATCH_STALE_MS`; `no end seen`: no match_end and nothing new for longer; `no start seen`: events of the match
 * but no match_start.
 */
export const MATCH_STATUSES = ["finished", "in progress", "no end seen", "no start seen"] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];
export const MATCH_STALE_MS = 10 * 60_000;

export type MatchRow = MatchStats & {
  readonly match_id: string;
  readonly status: MatchStatus;
  /** end − start when finished; the newest event seen − start (or now − start) while running; null without start. */
  readonly elapsed_ms: number | null;
  readonly updated_at: number | null;
};

export interface MatchesView {
  readonly game: string | null;
  readonly matches: readonly MatchRow[];
}

/** One player's stats in one match (the `match_players` collection). */
export type MatchPlayerRow = PlayerStats & { readonly player_id: string };

export interface MatchView {
  readonly game: string;
  readonly match: MatchRow | null;
  /** Players of the match, most kills first. */
  readonly scoreboard: readonly MatchPlayerRow[];
}

/** A stored MetricSummary; a quantile is null in documents written before it was kept (p1, p5). */
export type MetricSummaryView = { readonly [K in keyof MetricSummary]: number | null };

export type ServerPoint = WindowBounds & {
  readonly count: number;
  readonly ping_ms: MetricSummaryView | null;
  readonly fps: MetricSummaryView | null;
  readonly frame_time_ms: MetricSummaryView | null;
};

/** One server's latest ended window, for the comparison table. */
export type ServerComparisonRow = ServerPoint & { readonly server_id: string };

export interface ServersView {
  readonly game: string | null;
  readonly servers: readonly string[];
  readonly server: string | null;
  readonly points: readonly ServerPoint[];
  /** Every server's latest ended window (by the dashboard's clock), worst fps p1 first. */
  readonly comparison: readonly ServerComparisonRow[];
}

/** Produce-to-visible latency (event_time to the MongoDB write) over the last `windowSeconds`, from the histogram. */
export interface LatencyWindow {
  readonly windowSeconds: number;
  /** Events written in the window. */
  readonly count: number;
  /** Bucket-interpolated quantiles (as Prometheus' histogram_quantile), seconds; null without events. */
  readonly p50: number | null;
  readonly p99: number | null;
  /**
   * The histogram bucket each quantile lies in, (lower, upper] seconds: where it is wide (the runtime's buckets
   * grow to 60, 300 and 3600 s) the interpolated value is only known to lie in it.
   */
  readonly p50Bucket: readonly [number, number] | null;
  readonly p99Bucket: readonly [number, number] | null;
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
  /** Records consumed per second over the rolling window (null before two samples). */
  readonly eventsPerSecond: number | null;
  /** Rolling produce-to-visible latency (null when the endpoint is down). */
  readonly latency: LatencyWindow | null;
}

export interface HealthPoint {
  readonly time: number;
  readonly eventsPerSecond: number | null;
  readonly lag: number;
  readonly deadLettered: number;
  readonly late: number;
  readonly latencyP50: number | null;
  readonly latencyP99: number | null;
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
  readonly totals: Omit<TargetHealth, "url" | "up" | "error" | "latency"> & {
    readonly up: number;
    readonly latency: LatencyWindow | null;
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
