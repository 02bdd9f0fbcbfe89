import type { RateLimit } from "../CollectorConfig.js";

/** A token bucket: refills `ratePerSec` tokens per second up to `burst`; starts full. */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly limit: RateLimit,
    now: number,
  ) {
    this.#tokens = limit.burst;
    this.#at = now;
  }

  #refill(now: number): void {
    if (now > this.#at) {
      this.#tokens = Math.min(
        this.limit.burst,
        this.#tokens + ((now - this.#at) / 1000) * this.limit.ratePerSec,
      );
      this.#at = now;
    }
  }

  /**
   * Takes `cost` tokens (capped at the burst, so one large request can pass a full bucket). Returns 0 when taken,
   * else the seconds until enough tokens are back (nothing taken).
   */
  take(cost: number, now: number): number {
    this.#refill(now);
    const need = Math.min(cost, this.limit.burst);
    if (this.#tokens >= need) {
      this.#tokens -= need;
      return 0;
    }
    return Math.max(1, Math.ceil((need - this.#tokens) / this.limit.ratePerSec));
  }

  /** Whether the bucket is full at `now` (it can be forgotten). */
  full(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.limit.burst;
  }
}
