/**
 * Signatures seen within the replay window. A signature is remembered until its timestamp leaves the window, so a
 * replay inside the window is refused and one outside it is refused as stale. Bounded: beyond `maxEntries` the
 * oldest additions are forgotten first (size it above the peak requests per replay window).
 *
 * A Map in insertion order: expired entries are dropped from the oldest end on every addition. An entry added after
 * one that expires later waits for it (kept longer than needed, never shorter).
 */
export class ReplayCache {
  readonly #expiry = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the signature; false when it was already seen and has not expired. */
  remember(signature: string, expiresInMs: number): boolean {
    const now = this.now();
    const seen = this.#expiry.get(signature);
    if (seen !== undefined && seen > now) return false;
    for (const [oldest, expiresAt] of this.#expiry) {
      if (expiresAt > now && this.#expiry.size < this.maxEntries) break;
      this.#expiry.delete(oldest);
    }
    this.#expiry.delete(signature);
    this.#expiry.set(signature, now + Math.max(1, expiresInMs));
    return true;
  }

  get size(): number {
    return this.#expiry.size;
  }
}
