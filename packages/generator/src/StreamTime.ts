/** Where a distinct event stands relative to what its key had already shown when it was written. */
export type Arrival = "in_order" | "out_of_order" | "late";

/**
 * Per-key stream time (the maximum `event_time` written so far for a partition key), the quantity the
 * processors' watermark is built from. An event is late when its tumbling window (epoch-aligned, `windowMs`)
 * ended at least `graceMs` before its key's stream time; out of order when it is older than the stream time
 * but not late.
 */
export class StreamTime {
  private readonly maxByKey = new Map<string, number>();

  constructor(
    readonly windowMs: number,
    readonly graceMs: number,
  ) {}

  get(key: string): number | undefined {
    return this.maxByKey.get(key);
  }

  windowEnd(eventTime: number): number {
    return (Math.floor(eventTime / this.windowMs) + 1) * this.windowMs;
  }

  /** The stream time at which an event of `eventTime` becomes late. */
  lateFrom(eventTime: number): number {
    return this.windowEnd(eventTime) + this.graceMs;
  }

  classify(key: string, eventTime: number): Arrival {
    const max = this.maxByKey.get(key);
    if (max === undefined) return "in_order";
    if (max >= this.lateFrom(eventTime)) return "late";
    return eventTime < max ? "out_of_order" : "in_order";
  }

  /** Classifies, then advances the key's stream time. */
  observe(key: string, eventTime: number): Arrival {
    const arrival = this.classify(key, eventTime);
    const max = this.maxByKey.get(key);
    if (max === undefined || eventTime > max) this.maxByKey.set(key, eventTime);
    return arrival;
  }
}
