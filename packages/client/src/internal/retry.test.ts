import { describe, expect, test } from "vitest";
import { backoffMs, retryAfterMs } from "./retry.js";

describe("retry", () => {
  test("Retry-After in seconds or as a date", () => {
    expect(retryAfterMs("3", 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
    expect(retryAfterMs("soon", 0)).toBeUndefined();
  });

  test("full-jitter exponential backoff, capped, never under Retry-After", () => {
    expect(backoffMs(0, 100, 10_000, undefined, () => 1)).toBe(100);
    expect(backoffMs(3, 100, 10_000, undefined, () => 1)).toBe(800);
    expect(backoffMs(20, 100, 10_000, undefined, () => 1)).toBe(10_000);
    expect(backoffMs(3, 100, 10_000, undefined, () => 0)).toBe(0);
    expect(backoffMs(0, 100, 10_000, 2_000, () => 0)).toBe(2_000);
    expect(backoffMs(0, 100, 10_000, 2_000, () => 0.5)).toBe(2_200);
  });
});
