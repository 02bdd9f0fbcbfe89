/**
 * Quantile sketches: DDSketch (@datadog/sketches-js) with a logarithmic mapping of relative accuracy 1%
 * and an unbounded dense store, plus a JSON codec over its public fields. Bins merge by addition (our own
 * loop, see `mergeSketches`), so merged results do not depend on merge order or grouping.
 */
import { DDSketch } from "@datadog/sketches-js";
import { StateCodecError, type JsonValue } from "../Reducer.js";
import { arr, count, field, num, obj } from "./json.js";

/**
 * Relative accuracy of every sketch: a reported quantile is within 1% of the exact one.
 *
 * @example
 * import { SERVER_PERF_RELATIVE_ACCURACY } from "@gametel/core";
 * const tolerance = (exact: number) => exact * SERVER_PERF_RELATIVE_ACCURACY;
 */
export const RELATIVE_ACCURACY = 0.01;

/** The sketch surface this package uses (keeps the library's types out of the public declarations). */
export interface QuantileSketch {
  readonly count: number;
  readonly min: number;
  readonly max: number;
}

type Sketch = DDSketch;

export const newSketch = (): QuantileSketch => new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });

export const accept = (s: QuantileSketch, value: number): void => (s as Sketch).accept(value);

export const quantile = (s: QuantileSketch, q: number): number => (s as Sketch).getValueAtQuantile(q);

type Store = Sketch["store"];

/** Calls `f(key, count)` for every non-empty bin, reading the whole bin array (not trusting minKey/maxKey). */
const forEachBin = (store: Store, f: (key: number, count: number) => void): void => {
  const { bins, offset } = store;
  for (let i = 0; i < bins.length; i++) {
    const c = bins[i]!;
    if (c > 0) f(i + offset, c);
  }
};

/**
 * The sum of two sketches, bin by bin through `store.add`. Not the library's `merge`: in
 * @datadog/sketches-js 2.1.1 `DenseStore.merge` widens its key range with `_extendRange(minKey, maxKey)`,
 * which reads a maximum key of 0 (values near 1) as absent; the merged store then keeps the count of key 0
 * outside its range and a later merge drops it, so results depended on the merge grouping (found by the
 * ServerPerf merge property test). `store.add` widens the range one key at a time and has no such case.
 */
export const mergeSketches = (a: QuantileSketch, b: QuantileSketch): QuantileSketch => {
  const out = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  for (const s of [a as Sketch, b as Sketch]) {
    if (s.count === 0) continue;
    forEachBin(s.store, (key, c) => out.store.add(key, c));
    forEachBin(s.negativeStore, (key, c) => out.negativeStore.add(key, c));
    out.zeroCount += s.zeroCount;
    out.count += s.count;
    out.sum += s.sum;
    if (s.min < out.min) out.min = s.min;
    if (s.max > out.max) out.max = s.max;
  }
  return out;
};

/** Keys of a 1% logarithmic mapping over all positive doubles stay within about ±36,000. */
const MAX_ABS_KEY = 100_000;

export const encodeSketch = (s: QuantileSketch): JsonValue => {
  const sk = s as Sketch;
  const bins: JsonValue[] = [];
  forEachBin(sk.store, (key, c) => bins.push([key, c]));
  return {
    zero: sk.zeroCount,
    min: sk.count === 0 ? null : sk.min,
    max: sk.count === 0 ? null : sk.max,
    bins,
  };
};

export const decodeSketch = (json: JsonValue | undefined, path: string): QuantileSketch => {
  const o = obj(json, path);
  const sk = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  const zero = field(o, "zero", path, count);
  let total = zero;
  field(o, "bins", path, arr).forEach((entry, i) => {
    const p = `${path}.bins[${i}]`;
    const t = arr(entry, p);
    const key = t[0];
    if (
      t.length !== 2 ||
      typeof key !== "number" ||
      !Number.isSafeInteger(key) ||
      Math.abs(key) > MAX_ABS_KEY
    ) {
      throw new StateCodecError(p, "expected [key, count] with an integer key");
    }
    const c = count(t[1], `${p}[1]`);
    if (c === 0) throw new StateCodecError(`${p}[1]`, "expected a positive count");
    sk.store.add(key, c);
    total += c;
  });
  sk.zeroCount = zero;
  sk.count = total;
  if (total > 0) {
    sk.min = field(o, "min", path, num);
    sk.max = field(o, "max", path, num);
    if (sk.min > sk.max || sk.min < 0) throw new StateCodecError(`${path}.min`, "inconsistent with max");
  } else if (o["min"] !== null || o["max"] !== null) {
    throw new StateCodecError(`${path}.min`, "expected null for an empty sketch");
  }
  return sk;
};
