import type { ProducedRecord } from "@gametel/runtime";

/** The queue refused records: too many already wait for Kafka. */
export class QueueFullError extends Error {
  override readonly name = "QueueFullError";
}

export interface ProduceQueueOptions {
  /** Sends records and resolves once Kafka acknowledged all of them (acks=all). */
  readonly send: (records: ProducedRecord[]) => Promise<void>;
  /** Records waiting or in flight, over all requests; beyond it `publish` refuses. */
  readonly maxQueuedRecords: number;
  /** Most records per send (whole requests are never split across sends unless larger than this). */
  readonly maxBatchRecords: number;
}

interface Pending {
  readonly records: ProducedRecord[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the records of concurrent requests into one send at a time (one produce request in flight keeps the
 * idempotent producer's order per partition), and settles each request's promise only with its send: a request
 * hears "done" only after Kafka acknowledged every one of its records.
 */
export class ProduceQueue {
  readonly #options: ProduceQueueOptions;
  #waiting: Pending[] = [];
  #queued = 0;
  #inFlight: Promise<void> | null = null;

  constructor(options: ProduceQueueOptions) {
    this.#options = options;
  }

  /** Records waiting or being sent. */
  get queued(): number {
    return this.#queued;
  }

  publish(records: ProducedRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.#queued + records.length > this.#options.maxQueuedRecords) {
      return Promise.reject(
        new QueueFullError(
          `${this.#queued} records already wait for Kafka (at most ${this.#options.maxQueuedRecords})`,
        ),
      );
    }
    this.#queued += records.length;
    const done = new Promise<void>((resolve, reject) => this.#waiting.push({ records, resolve, reject }));
    this.#pump();
    return done;
  }

  /** Resolves once everything queued so far was sent or failed. */
  async drain(): Promise<void> {
    while (this.#inFlight !== null) await this.#inFlight;
  }

  #pump(): void {
    if (this.#inFlight !== null || this.#waiting.length === 0) return;
    const batch: Pending[] = [];
    let count = 0;
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0]!;
      if (batch.length > 0 && count + next.records.length > this.#options.maxBatchRecords) break;
      batch.push(next);
      count += next.records.length;
      this.#waiting.shift();
    }
    const records = batch.length === 1 ? batch[0]!.records : batch.flatMap((p) => p.records);
    this.#inFlight = this.#options
      .send(records)
      .then(
        () => batch.forEach((p) => p.resolve()),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      )
      .finally(() => {
        this.#queued -= count;
        this.#inFlight = null;
        this.#pump();
      });
  }
}
