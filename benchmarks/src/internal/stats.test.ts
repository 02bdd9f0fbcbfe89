import { describe, expect, it } from "vitest";
import { alternate, ratio, summarize } from "./stats.js";

describe("summarize", () => {
  it.each([
    [[3], { median: 3, min: 3, max: 3, n: 1 }],
    [[5, 1, 3], { median: 3, min: 1, max: 5, n: 3 }],
    [[4, 1, 3, 2], { median: 2.5, min: 1, max: 4, n: 4 }],
    [[2, Number.NaN, 6, Number.POSITIVE_INFINITY], { median: 4, min: 2, max: 6, n: 2 }],
  ])("%j", (values, expected) => {
    expect(summarize(values)).toEqual(expected);
  });

  it("is null without finite values", () => {
    expect(summarize([])).toBeNull();
    expect(summarize([Number.NaN])).toBeNull();
  });
});

describe("ratio", () => {
  it("divides medians", () => {
    expect(ratio(summarize([3, 6, 9]), summarize([2, 3, 4]))).toBe(2);
  });
  it("is null for a missing side or a zero denominator", () => {
    expect(ratio(null, summarize([1]))).toBeNull();
    expect(ratio(summarize([1]), undefined)).toBeNull();
    expect(ratio(summarize([1]), summarize([0]))).toBeNull();
  });
});

describe("alternate", () => {
  it("rotates the order by one per repetition so each item leads once per cycle", () => {
    const items = ["a", "b", "c"];
    const leaders = [0, 1, 2].map((rep) => alternate(items, rep)[0]);
    expect(new Set(leaders)).toEqual(new Set(items));
    expect(alternate(items, 1)).toEqual(["b", "c", "a"]);
    expect(alternate(items, 3)).toEqual(items);
  });
  it("keeps every item exactly once", () => {
    for (let rep = 0; rep < 7; rep++) expect([...alternate([1, 2, 3, 4], rep)].sort()).toEqual([1, 2, 3, 4]);
  });
});
