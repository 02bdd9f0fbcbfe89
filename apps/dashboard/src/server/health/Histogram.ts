import type { MetricFamily } from "parse-prometheus-text-format";

/** A Prometheus histogram summed over its label sets: ascending upper bounds (the last is +Inf), cumulative counts. */
export interface HistogramSnapshot {
  readonly bounds: readonly number[];
  readonly cumulative: readonly number[];
}

const parseBound = (le: string): number => (le === "+Inf" ? Infinity : Number(le));

/** The histogram of a metric family (null when absent or not a histogram). */
export function histogramOf(family: MetricFamily | undefined): HistogramSnapshot | null {
  const totals = new Map<number, number>();
  for (const sample of family?.metrics ?? []) {
    for (const [le, raw] of Object.entries(sample.buckets ?? {})) {
      const bound = parseBound(le);
      const n = Number(raw);
      if (!Number.isNaN(bound) && Number.isFinite(n)) totals.set(bound, (totals.get(bound) ?? 0) + n);
    }
  }
  if (totals.size === 0) return null;
  const bounds = [...totals.keys()].sort((a, b) => a - b);
  return { bounds, cumulative: bounds.map((b) => totals.get(b)!) };
}

/** Observations in the histogram (its +Inf bucket). */
export const observations = (h: HistogramSnapshot): number => h.cumulative.at(-1) ?? 0;

/**
 * What was observed between two scrapes of the same histogram (`later − earlier`, bucket by bucket), or null when
 * the buckets differ or a count went down (the process restarted).
 */
export function difference(later: HistogramSnapshot, earlier: HistogramSnapshot): HistogramSnapshot | null {
  if (later.bounds.length !== earlier.bounds.length) return null;
  const cumulative: number[] = [];
  for (let i = 0; i < later.bounds.length; i++) {
    if (later.bounds[i] !== earlier.bounds[i]) return null;
    const d = later.cumulative[i]! - earlier.cumulative[i]!;
    if (d < 0) return null;
    cumulative.push(d);
  }
  return { bounds: later.bounds, cumulative };
}

/** Bucket-wise sum of histograms with the same buckets (those with other buckets are left out). */
export function sum(histograms: readonly HistogramSnapshot[]): HistogramSnapshot | null {
  const [first, ...rest] = histograms;
  if (first === undefined) return null;
  const cumulative = [...first.cumulative];
  for (const h of rest) {
    if (h.bounds.length !== first.bounds.length || h.bounds.some((b, i) => b !== first.bounds[i])) continue;
    h.cumulative.forEach((n, i) => (cumulative[i]! += n));
  }
  return { bounds: first.bounds, cumulative };
}

/** The bucket holding the q-quantile: (lower, upper], upper = Infinity for the overflow bucket. Null when empty. */
export function quantileBucket(q: number, h: HistogramSnapshot): readonly [number, number] | null {
  const n = observations(h);
  if (n === 0) return null;
  let i = h.cumulative.findIndex((c) => c >= q * n);
  if (i < 0) i = h.cumulative.length - 1;
  return [i === 0 ? 0 : h.bounds[i - 1]!, h.bounds[i]!];
}

/**
 * The q-quantile as Prometheus' `histogram_quantile` estimates it: linear within the bucket that holds rank
 * q·n (from 0 for the first bucket); in the +Inf bucket, the largest finite bound. Null without observations.
 */
export function quantile(q: number, h: HistogramSnapshot): number | null {
  const n = observations(h);
  if (n === 0) return null;
  const rank = q * n;
  let i = h.cumulative.findIndex((c) => c >= rank);
  if (i < 0) i = h.cumulative.length - 1;
  const upper = h.bounds[i]!;
  if (upper === Infinity) return h.bounds.length > 1 ? h.bounds[h.bounds.length - 2]! : null;
  const lower = i === 0 ? 0 : h.bounds[i - 1]!;
  const below = i === 0 ? 0 : h.cumulative[i - 1]!;
  const inBucket = h.cumulative[i]! - below;
  return inBucket === 0 ? upper : lower + (upper - lower) * ((rank - below) / inBucket);
}
