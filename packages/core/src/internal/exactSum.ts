/**
 * Exact floating-point summation (Shewchuk's algorithm, as in Python's math.fsum): the running sum is kept
 * as non-overlapping partials, so the rounded result is the correctly rounded exact sum and does not
 * depend on the order in which values were added or sums merged. Overflow saturates at Number.MAX_VALUE.
 */
export type ExactSum = number[];

export const addTo = (partials: ExactSum, value: number): ExactSum => {
  let x = value;
  let i = 0;
  for (let j = 0; j < partials.length; j++) {
    let y = partials[j]!;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[i++] = lo;
    x = hi;
  }
  if (Number.isFinite(x)) {
    partials[i] = x;
    if (partials.length !== i + 1) partials.length = i + 1;
  } else {
    partials.length = 1;
    partials[0] = x > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
  }
  return partials;
};

export const mergeSums = (a: ExactSum, b: ExactSum): ExactSum => {
  const out = a.slice();
  for (const v of b) addTo(out, v);
  return out;
};

export const valueOf = (p: ExactSum): number => {
  let n = p.length;
  if (n === 0) return 0;
  let hi = p[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[--n]!;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  // Half-even rounding across partials.
  if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  if (!Number.isFinite(hi)) return hi > 0 || Number.isNaN(hi) ? Number.MAX_VALUE : -Number.MAX_VALUE;
  return hi;
};

/** Partials as encoded: kept as they are when well formed (increasing magnitude), else re-summed. */
export const restoreSum = (values: ReadonlyArray<number>): ExactSum => {
  let ordered = true;
  for (let i = 1; i < values.length && ordered; i++)
    ordered = Math.abs(values[i - 1]!) < Math.abs(values[i]!);
  if (ordered && values.every((v) => v !== 0 || values.length === 1)) return values.slice();
  const out: ExactSum = [];
  for (const v of values) addTo(out, v);
  return out;
};
