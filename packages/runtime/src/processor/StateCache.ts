import { LRUCache } from "lru-cache";

/** Entries cached per partition; the partition is part of every cache key so a revocation drops exactly its state. */
export interface CachedEntry {
  readonly partition: number;
}

/**
 * The bounded state cache (lru-cache, `max` entries). Entries are clean between batches (a batch writes back all it
 * changed before it puts entries back), so eviction never loses state: it is reloaded from MongoDB on the next miss.
 */
export class StateCache<V extends CachedEntry> {
  private readonly lru: LRUCache<string, V>;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`cache size must be a positive integer, got ${max}`);
    this.lru = new LRUCache<string, V>({ max });
  }

  static key(kind: string, partition: number, id: string): string {
    return `${kind}|${partition}|${id}`;
  }

  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: V): void {
    this.lru.set(key, value);
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  get size(): number {
    return this.lru.size;
  }

  /** Drops every entry of the given partitions. */
  dropPartitions(partitions: ReadonlySet<number>): number {
    const doomed: string[] = [];
    for (const [key, value] of this.lru.entries()) if (partitions.has(value.partition)) doomed.push(key);
    for (const key of doomed) this.lru.delete(key);
    return doomed.length;
  }
}
