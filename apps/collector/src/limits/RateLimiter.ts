import type { RateLimit } from "../CollectorConfig.js";
import { TokenBucket } from "./TokenBucket.js";

/**
 * Token buckets by name (a key, an IP address, a session), created full on first use. Full buckets are dropped on
 * a periodic sweep, so memory follows the active callers, bounded by `maxBuckets` (beyond it, new callers share
 * one overflow bucket rather than growing the map).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #overflow: TokenBucket;
  #lastSweep: number;

  constructor(
    readonly limit: RateLimit,
    private readonly maxBuckets = 100_000,
    now = Date.now(),
  ) {
    this.#overflow = new TokenBucket(limit, now);
    this.#lastSweep = now;
  }

  /** 0 when the caller may go on, else Retry-After seconds (and nothing was taken). */
  take(name: string, cost: number, now: number): number {
    if (now - this.#lastSweep > 10_000) this.#sweep(now);
    let bucket = this.#buckets.get(name);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.maxBuckets) return this.#overflow.take(cost, now);
      bucket = new TokenBucket(this.limit, now);
      this.#buckets.set(name, bucket);
    }
    return bucket.take(cost, now);
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [name, bucket] of this.#buckets) if (bucket.full(now)) this.#buckets.delete(name);
  }

  get size(): number {
    return this.#buckets.size;
  }
}
