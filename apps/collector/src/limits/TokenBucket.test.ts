import { describe, expect, test } from "vitest";
import { RateLimiter } from "./RateLimiter.js";
import { TokenBucket } from "./TokenBucket.js";

describe("token bucket", () => {
  test("starts full, refuses beyond the burst with the seconds to wait, refills at the rate", () => {
    const bucket = new TokenBucket({ ratePerSec: 10, burst: 50 }, 0);
    expect(bucket.take(30, 0)).toBe(0);
    expect(bucket.take(20, 0)).toBe(0);
    expect(bucket.take(25, 0)).toBe(3); // 25 tokens at 10/s
    expect(bucket.take(25, 2_500)).toBe(0);
    expect(bucket.take(1, 2_500)).toBe(1);
  });

  test("a request larger than the burst passes a full bucket", () => {
    const bucket = new TokenBucket({ ratePerSec: 1, burst: 5 }, 0);
    expect(bucket.take(100, 0)).toBe(0);
    expect(bucket.take(1, 0)).toBe(1);
  });

  test("buckets per name; full ones are forgotten", () => {
    const limiter = new RateLimiter({ ratePerSec: 1, burst: 2 }, 100, 0);
    expect(limiter.take("a", 2, 0)).toBe(0);
    expect(limiter.take("a", 1, 0)).toBe(1);
    expect(limiter.take("b", 2, 0)).toBe(0);
    expect(limiter.size).toBe(2);
    expect(limiter.take("c", 1, 60_000)).toBe(0);
    expect(limiter.size).toBe(1);
  });
});
