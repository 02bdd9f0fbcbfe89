export interface BatcherOptions<T> {
  /** Items per request. */
  readonly batchSize: number;
  /** How long a partly filled batch may wait for more items, ms. */
  readonly lingerMs: number;
  /** Writes one batch; batches are written one at a time, in order. */
  readonly send: (items: T[]) => Promise<unknown>;
}

export interface Batcher<T> {
  /** Adds one item; a returned promise means "wait": a full batch is queued behind a request in flight. */
  add(item: T): Promise<void> | undefined;
  /** Sends what is left and waits for it; throws the first send error. */
  flush(): Promise<void>;
}

/**
 * Size-or-linger batching with one request in flight, the way Kafka producers batch: while a request is out
 * the next batch fills, and goes out as soon as the request returns if it is full or its linger expired.
 * The first send error stops further sends and is thrown by the next `add` or `flush`.
 */
export const createBatcher = <T>(options: BatcherOptions<T>): Batcher<T> => {
  let batch: T[] = [];
  let current: Promise<void> | null = null;
  let lingerDue = false;
  let linger: NodeJS.Timeout | undefined;
  let failure: unknown;

  const check = (): void => {
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  };
  const pump = (): void => {
    if (current !== null || batch.length === 0 || failure !== undefined) return;
    if (linger !== undefined) clearTimeout(linger);
    linger = undefined;
    lingerDue = false;
    const items = batch;
    batch = [];
    current = options
      .send(items)
      .then(
        () => undefined,
        (error: unknown) => {
          failure ??= error;
        },
      )
      .then(() => {
        current = null;
        if (lingerDue || batch.length >= options.batchSize) pump();
      });
  };

  return {
    add(item) {
      check();
      batch.push(item);
      if (batch.length >= options.batchSize) {
        if (current === null) pump();
        else return current.then(check);
      } else if (linger === undefined) {
        linger = setTimeout(() => {
          linger = undefined;
          lingerDue = true;
          pump();
        }, options.lingerMs);
      }
      return undefined;
    },
    async flush() {
      try {
        while (current !== null || (batch.length > 0 && failure === undefined)) {
          pump();
          await current;
        }
        check();
      } finally {
        if (linger !== undefined) clearTimeout(linger);
        linger = undefined;
      }
    },
  };
};
