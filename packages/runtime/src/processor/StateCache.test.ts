import { describe, expect, it } from "vitest";
import { StateCache } from "./StateCache.js";

describe("StateCache", () => {
  it("is bounded by max entries, evicting the least recently used", () => {
    const cache = new StateCache<{ partition: number; n: number }>(3);
    for (let n = 0; n < 10; n += 1) cache.set(StateCache.key("key", 0, `p${n}`), { partition: 0, n });
    expect(cache.size).toBe(3);
    expect(cache.get(StateCache.key("key", 0, "p9"))?.n).toBe(9);
    expect(cache.get(StateCache.key("key", 0, "p0"))).toBeUndefined();
  });

  it("drops exactly the entries of revoked partitions", () => {
    const cache = new StateCache<{ partition: number }>(10);
    cache.set(StateCache.key("key", 1, "a"), { partition: 1 });
    cache.set(StateCache.key("matches", 1, "m"), { partition: 1 });
    cache.set(StateCache.key("key", 2, "a"), { partition: 2 });
    expect(cache.dropPartitions(new Set([1]))).toBe(2);
    expect(cache.size).toBe(1);
    expect(cache.get(StateCache.key("key", 2, "a"))).toEqual({ partition: 2 });
  });

  it("refuses a non-positive size", () => {
    expect(() => new StateCache(0)).toThrow(/positive integer/);
  });
});
