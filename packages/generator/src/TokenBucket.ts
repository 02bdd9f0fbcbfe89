/**
 * A token bucket that paces writes at `ratePerSecond`. `take()` never blocks: it spends the tokens (the
 * balance may go negative, a debt) and says how long to wait before writing, so timer jitter evens out
 * over time. The burst caps how many tokens a stall can bank.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSecond: number,
    now: number,
    readonly burst: number = Math.max(1, ratePerSecond / 10),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be > 0, got ${ratePerSecond}`);
    this.tokens = Math.min(1, burst);
    this.last = now;
  }

  /** Spends `n` tokens at time `now` (ms) and returns how many ms to wait before using them (0 = go). */
  take(n: number, now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
    this.last = now;
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.ratePerSecond;
  }
}
