import { topicPartitionKey, type TopicPartitionOffset } from "./Engine.js";

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Merges concurrent commit calls into one request at a time: while a commit is in flight, new offsets are
 * collected (highest per partition) and sent together once it settles. Each caller's promise settles with the
 * request that carried its offsets.
 */
export class CommitCoalescer {
  readonly #send: (offsets: readonly TopicPartitionOffset[]) => Promise<void>;
  #pending = new Map<string, TopicPartitionOffset>();
  #waiters: Waiter[] = [];
  #flushing = false;

  constructor(send: (offsets: readonly TopicPartitionOffset[]) => Promise<void>) {
    this.#send = send;
  }

  commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    for (const tpo of offsets) {
      const key = topicPartitionKey(tpo);
      const current = this.#pending.get(key);
      if (current === undefined || tpo.offset > current.offset) this.#pending.set(key, tpo);
    }
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#flushing) void this.#flush();
    return done;
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#pending.size > 0) {
        const offsets = [...this.#pending.values()];
        const waiters = this.#waiters;
        this.#pending = new Map();
        this.#waiters = [];
        try {
          await this.#send(offsets);
          for (const w of waiters) w.resolve();
        } catch (error) {
          for (const w of waiters) w.reject(error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }
}
