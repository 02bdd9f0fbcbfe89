/**
 * Top-K leaderboards over `PlayerStats`, by `kd_ratio` or by `kills`, with a total, deterministic order:
 * - by `kd_ratio`: higher `kd_ratio` first, then more `kills`, then smaller `player_id` (code-unit order);
 * - by `kills`: more `kills` first, then higher `kd_ratio`, then smaller `player_id`.
 * Because the order is total and each player appears once, the top K of a union of disjoint sets is the top K
 * of their top Ks: partitions (each owning its players) can rank locally and `mergeTopK` the lists exactly.
 *
 * @module Leaderboard
 */

/**
 * What a leaderboard ranks by.
 *
 * @example
 * import type { LeaderboardMetric } from "@gametel/core";
 * const metric: LeaderboardMetric = "kd_ratio";
 */
export type LeaderboardMetric = "kd_ratio" | "kills";

/**
 * All leaderboard metrics.
 *
 * @example
 * import { LEADERBOARD_METRICS } from "@gametel/core";
 * LEADERBOARD_METRICS; // ["kd_ratio", "kills"]
 */
export const LEADERBOARD_METRICS: ReadonlyArray<LeaderboardMetric> = ["kd_ratio", "kills"];

/**
 * The minimum a ranked entry carries (any `PlayerStats` plus its `player_id` qualifies).
 *
 * @example
 * import type { LeaderboardCandidate } from "@gametel/core";
 * const c: LeaderboardCandidate = { player_id: "p1", kills: 10, kd_ratio: 2.5 };
 */
export interface LeaderboardCandidate {
  readonly player_id: string;
  readonly kills: number;
  readonly kd_ratio: number;
}

/**
 * A ranked entry: the candidate plus its 1-based `rank`.
 *
 * @example
 * import { topK, type LeaderboardEntry } from "@gametel/core";
 * const rows: LeaderboardEntry<{ player_id: string; kills: number; kd_ratio: number }>[] = topK([], 10, "kills");
 */
export type LeaderboardEntry<C extends LeaderboardCandidate> = C & { readonly rank: number };

/**
 * Comparator of the leaderboard order for a metric (negative when `a` ranks before `b`).
 *
 * @example
 * import { compareFor } from "@gametel/core";
 * players.sort(compareFor("kills"));
 */
export const compareFor =
  (metric: LeaderboardMetric) =>
  (a: LeaderboardCandidate, b: LeaderboardCandidate): number => {
    const [pa, pb, sa, sb] =
      metric === "kd_ratio"
        ? [a.kd_ratio, b.kd_ratio, a.kills, b.kills]
        : [a.kills, b.kills, a.kd_ratio, b.kd_ratio];
    if (pa !== pb) return pb - pa;
    if (sa !== sb) return sb - sa;
    return a.player_id < b.player_id ? -1 : a.player_id > b.player_id ? 1 : 0;
  };

/**
 * Options of `topK`.
 *
 * @example
 * import { topK, type TopKOptions } from "@gametel/core";
 * const opts: TopKOptions<{ player_id: string; kills: number; kd_ratio: number; deaths: number }> = { eligible: (p) => p.deaths >= 5 };
 */
export interface TopKOptions<C extends LeaderboardCandidate> {
  /** Only candidates passing this filter are ranked (e.g. a minimum number of kills for the K/D board). */
  readonly eligible?: (candidate: C) => boolean;
}

/**
 * The first `k` candidates in leaderboard order, ranked 1..k. O(n log k) time, O(k) extra memory.
 *
 * @throws {RangeError} when `k` is not a non-negative integer.
 * @example
 * import { topK } from "@gametel/core";
 * topK([{ player_id: "a", kills: 3, kd_ratio: 1.5 }, { player_id: "b", kills: 5, kd_ratio: 1 }], 1, "kills");
 * // [{ player_id: "b", kills: 5, kd_ratio: 1, rank: 1 }]
 */
export const topK = <C extends LeaderboardCandidate>(
  candidates: Iterable<C>,
  k: number,
  metric: LeaderboardMetric,
  options: TopKOptions<C> = {},
): Array<LeaderboardEntry<C>> => {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  const cmp = compareFor(metric);
  const best: C[] = [];
  if (k === 0) return [];
  for (const c of candidates) {
    if (options.eligible !== undefined && !options.eligible(c)) continue;
    if (best.length === k && cmp(c, best[k - 1]!) >= 0) continue;
    // Insert in order (k is small; binary search keeps it O(log k) comparisons).
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(best[mid]!, c) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, c);
    if (best.length > k) best.pop();
  }
  return best.map((c, i) => ({ ...c, rank: i + 1 }));
};

/**
 * Merges leaderboards of disjoint player sets (e.g. one per partition) into the global top `k`, re-ranked.
 *
 * @example
 * import { mergeTopK, topK } from "@gametel/core";
 * const global = mergeTopK([topK(partitionA, 10, "kills"), topK(partitionB, 10, "kills")], 10, "kills");
 */
export const mergeTopK = <C extends LeaderboardCandidate>(
  lists: Iterable<ReadonlyArray<C>>,
  k: number,
  metric: LeaderboardMetric,
): Array<LeaderboardEntry<C>> => {
  const all: C[] = [];
  for (const list of lists) {
    for (const entry of list) {
      const { rank: _rank, ...rest } = entry as C & { rank?: number };
      all.push(rest as C);
    }
  }
  return topK(all, k, metric);
};
