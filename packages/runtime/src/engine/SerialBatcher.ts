interface Pending<T> {
  readonly items: readonly T[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * One send at a time: items added while a send is in flight are sent together next (callers' groups are never
 * split; a send carries at most `maxItems` unless one group alone is larger). Each caller's promise settles
 * with the send that carried its items. Used for producers whose retries are only safe one request at a time.
 */
export class SerialBatcher<T> {
  readonly #send: (items: readonly T[]) => Promise<void>;
  readonly #maxItems: number;
  #pending: Pending<T>[] = [];
  #sending = false;

  constructor(send: (items: readonly T[]) => Promise<void>, maxItems = Number.POSITIVE_INFINITY) {
    this.#send = send;
    this.#maxItems = maxItems;
  }

  add(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.#pending.push({ items, resolve, reject }));
    if (!this.#sending) void this.#drain();
    return done;
  }

  async #drain(): Promise<void> {
    this.#sending = true;
    try {
      while (this.#pending.length > 0) {
        const taken: Pending<T>[] = [];
        let count = 0;
        while (this.#pending.length > 0) {
          const next = this.#pending[0]!;
          if (taken.length > 0 && count + next.items.length > this.#maxItems) break;
          taken.push(this.#pending.shift()!);
          count += next.items.length;
        }
        try {
          await this.#send(taken.flatMap((p) => p.items));
          for (const p of taken) p.resolve();
        } catch (error) {
          for (const p of taken) p.reject(error);
        }
      }
    } finally {
      this.#sending = false;
    }
  }
}
