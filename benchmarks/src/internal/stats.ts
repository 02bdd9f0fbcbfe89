/** Median with min and max of repeated measurements (the "medians with min–max"). */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** Median (mean of the two middle values for an even count), min, max; null for no values. */
export function summarize(values: readonly number[]): Summary | null {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = finite.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
  return { median, min: finite[0]!, max: finite[n - 1]!, n };
}

/** a / b of two medians, null when either is missing or b is zero. */
export function ratio(a: Summary | null | undefined, b: Summary | null | undefined): number | null {
  if (a == null || b == null || b.median === 0) return null;
  return a.median / b.median;
}

/**
 * The order engines run in for repetition `rep`: rotated by one each repetition, so no engine always runs
 * first (warm broker page cache) or last.
 */
export function alternate<A>(items: readonly A[], rep: number): A[] {
  if (items.length === 0) return [];
  const shift = ((rep % items.length) + items.length) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
