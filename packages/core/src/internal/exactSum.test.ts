import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { damageArb, exactReferenceSum, permute } from "../testing/events.js";
import { addTo, mergeSums, restoreSum, valueOf, type ExactSum } from "./exactSum.js";

const sum = (values: ReadonlyArray<number>): ExactSum => values.reduce<ExactSum>((p, v) => addTo(p, v), []);

describe("exact summation", () => {
  it("is the correctly rounded exact sum, whatever the order or split", () => {
    fc.assert(
      fc.property(
        fc.array(damageArb, { maxLength: 80 }),
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 80 }),
        (values, keys) => {
          const expected = exactReferenceSum(values);
          expect(valueOf(sum(values))).toBe(expected);
          expect(valueOf(sum(permute(values, keys)))).toBe(expected);
          const half = Math.floor(values.length / 2);
          expect(valueOf(mergeSums(sum(values.slice(half)), sum(values.slice(0, half))))).toBe(expected);
          expect(valueOf(restoreSum(sum(values)))).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("handles cancellation that naive summation gets wrong", () => {
    expect(valueOf(sum([1e16, 1, -1e16]))).toBe(1);
    expect(valueOf(sum([0.1, 0.2, 0.3]))).toBe(0.6);
  });

  it("saturates instead of overflowing", () => {
    expect(valueOf(sum([Number.MAX_VALUE, Number.MAX_VALUE]))).toBe(Number.MAX_VALUE);
  });
});
