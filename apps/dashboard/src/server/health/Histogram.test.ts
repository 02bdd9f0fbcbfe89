import { describe, expect, it } from "vitest";
import { difference, histogramOf, quantile, sum } from "./Histogram.js";
import type { HistogramSnapshot } from "./Histogram.js";

const h = (pairs: [number, number][]): HistogramSnapshot => ({
  bounds: pairs.map(([b]) => b),
  cumulative: pairs.map(([, c]) => c),
});

describe("Histogram", () => {
  it("reads a family's buckets summed over label sets", () => {
    const family = {
      name: "x",
      help: "",
      type: "HISTOGRAM" as const,
      metrics: [
        { buckets: { "0.5": "1", "1": "3", "+Inf": "4" }, count: "4", sum: "2" },
        { buckets: { "0.5": "2", "1": "2", "+Inf": "5" }, count: "5", sum: "9" },
      ],
    };
    expect(histogramOf(family)).toEqual(
      h([
        [0.5, 3],
        [1, 5],
        [Infinity, 9],
      ]),
    );
    expect(histogramOf(undefined)).toBeNull();
  });

  it("interpolates quantiles within the bucket as histogram_quantile does", () => {
    // 10 observations: 4 in (0, 1], 4 in (1, 2], 2 in (2, 5].
    const x = h([
      [1, 4],
      [2, 8],
      [5, 10],
      [Infinity, 10],
    ]);
    expect(quantile(0.5, x)).toBeCloseTo(1.25);
    expect(quantile(0.2, x)).toBeCloseTo(0.5);
    expect(quantile(0.99, x)).toBeCloseTo(2 + 3 * (1.9 / 2));
    // Everything beyond the last finite bound: that bound (as Prometheus).
    expect(
      quantile(
        0.5,
        h([
          [1, 0],
          [Infinity, 3],
        ]),
      ),
    ).toBe(1);
    expect(
      quantile(
        0.5,
        h([
          [1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toBeNull();
  });

  it("takes the difference of two scrapes, null after a restart", () => {
    const before = h([
      [1, 4],
      [Infinity, 10],
    ]);
    const after = h([
      [1, 5],
      [Infinity, 30],
    ]);
    expect(difference(after, before)).toEqual(
      h([
        [1, 1],
        [Infinity, 20],
      ]),
    );
    expect(difference(before, after)).toBeNull();
    expect(sum([after, before])).toEqual(
      h([
        [1, 9],
        [Infinity, 40],
      ]),
    );
  });
});
