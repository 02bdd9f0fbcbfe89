import { Command } from "commander";

/** Flags of the no-op ceiling consumers (the same names as the processors'). */
export interface CeilingArgs {
  readonly brokers: string[];
  readonly topic: string;
  readonly group: string;
  readonly batchSize: number;
  readonly maxWaitMs: number;
}

export function parseCeilingArgs(argv: readonly string[]): CeilingArgs {
  const o = new Command()
    .requiredOption("--brokers <list>")
    .requiredOption("--input-topic <name>")
    .requiredOption("--group <id>")
    .option("--batch-size <n>", "records per consume call", "1000")
    .option("--max-wait-ms <ms>", "max wait for a batch to fill", "500")
    .parse([...argv], { from: "user" })
    .opts<{ brokers: string; inputTopic: string; group: string; batchSize: string; maxWaitMs: string }>();
  return {
    brokers: o.brokers.split(","),
    topic: o.inputTopic,
    group: o.group,
    batchSize: Number(o.batchSize),
    maxWaitMs: Number(o.maxWaitMs),
  };
}

/** The one line a ceiling consumer prints when it has read everything (epoch ms times, sub-millisecond). */
export interface CeilingReport {
  readonly records: number;
  readonly bytes: number;
  readonly firstAt: number;
  readonly lastAt: number;
}

/** Tracks consumption against the end offsets known at start. */
export class EndTracker {
  readonly #remaining: Map<number, bigint>;
  records = 0;
  bytes = 0;
  firstAt = 0;
  lastAt = 0;

  constructor(ends: ReadonlyMap<number, bigint>) {
    this.#remaining = new Map([...ends].filter(([, end]) => end > 0n));
  }

  /** Records a batch of one partition whose last offset is `lastOffset`. */
  add(partition: number, count: number, bytes: number, lastOffset: bigint): void {
    const now = performance.timeOrigin + performance.now();
    if (this.records === 0) this.firstAt = now;
    this.records += count;
    this.bytes += bytes;
    this.lastAt = now;
    const end = this.#remaining.get(partition);
    if (end !== undefined && lastOffset + 1n >= end) this.#remaining.delete(partition);
  }

  get done(): boolean {
    return this.#remaining.size === 0;
  }

  report(): CeilingReport {
    return { records: this.records, bytes: this.bytes, firstAt: this.firstAt, lastAt: this.lastAt };
  }
}
