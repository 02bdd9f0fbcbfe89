/**
 * Lets partition batches run concurrently while rebalance work (assign/revoke) runs alone: an `exclusive`
 * task waits for every running batch, and batches that arrive once an exclusive task is queued wait for it.
 * Exclusive tasks run one at a time, in the order they were queued.
 */
export class BatchGate {
  readonly #running = new Set<Promise<unknown>>();
  #exclusiveTail: Promise<void> = Promise.resolve();
  #exclusivePending = 0;

  /** Runs `task` as a batch: concurrently with other batches, never during an exclusive task. */
  async batch<T>(task: () => Promise<T>): Promise<T> {
    while (this.#exclusivePending > 0) await this.#exclusiveTail;
    const running = task();
    this.#running.add(running);
    try {
      return await running;
    } finally {
      this.#running.delete(running);
    }
  }

  /** Runs `task` alone: after the batches running now have settled, before any batch that comes later. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.#exclusivePending++;
    const previous = this.#exclusiveTail;
    const run = (async () => {
      try {
        await previous;
        while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
        return await task();
      } finally {
        this.#exclusivePending--;
      }
    })();
    this.#exclusiveTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves once no batch and no exclusive task is running or queued. */
  async idle(): Promise<void> {
    while (this.#exclusivePending > 0 || this.#running.size > 0) {
      await this.#exclusiveTail;
      await Promise.allSettled([...this.#running]);
    }
  }
}
