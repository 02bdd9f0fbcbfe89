import { describe, expect, it } from "vitest";
import { TokenBucket } from "./TokenBucket.js";

/** Drives the bucket on a virtual clock the way the run loop does: take, then wait what it says. */
const simulate = (rate: number, records: number, timerSlackMs: number): number => {
  let now = 0;
  const bucket = new TokenBucket(rate, now);
  for (let i = 0; i < records; i++) {
    const wait = bucket.take(1, now);
    if (wait >= 1) now += wait + timerSlackMs;
  }
  return now;
};

describe("TokenBucket", () => {
  it("spends its burst without waiting, then asks for a wait", () => {
    const bucket = new TokenBucket(100, 0, 3);
    bucket.take(1, 1000);
    bucket.take(1, 1000);
    expect(bucket.take(1, 1000)).toBe(0);
    expect(bucket.take(1, 1000)).toBeCloseTo(10);
  });

  it("holds the rate over 10 s even when timers fire late", () => {
    for (const slack of [0, 1, 4]) {
      const elapsed = simulate(2000, 20_000, slack);
      expect(elapsed).toBeGreaterThan(9_000);
      expect(elapsed).toBeLessThan(11_000);
    }
  });

  it("refuses a non-positive rate", () => {
    expect(() => new TokenBucket(0, 0)).toThrow(/rate must be > 0/);
  });
});
