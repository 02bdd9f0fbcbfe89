import { LRUCache } from "lru-cache";

/**
 * Signatures seen within the replay window. A signature is remembered until its timestamp leaves the window, so a
 * replay inside the window is refused and one outside it is refused as stale. Bounded: beyond `maxEntries` the
 * least recently added are forgotten first (size it above the peak requests per replay window).
 */
export class ReplayCache {
  readonly #seen: LRUCache<string, true>;

  constructor(maxEntries: number) {
    this.#seen = new LRUCache<string, true>({ max: maxEntries, ttlAutopurge: false });
  }

  /** Records the signature; false when it was already seen and has not expired. */
  remember(signature: string, expiresInMs: number): boolean {
    if (this.#seen.has(signature)) return false;
    this.#seen.set(signature, true, { ttl: Math.max(1, expiresInMs) });
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }
}
