import { readdirSync, readFileSync } from "node:fs";
import { Command } from "commander";

/** Flags of the no-op ceiling consumers (the same names as the processors'). */
export interface CeilingArgs {
  readonly brokers: string[];
  readonly topic: string;
  readonly group: string;
  readonly batchSize: number;
  readonly maxWaitMs: number;
  /** Extra client properties (`--set key=value`, repeatable; node-rdkafka ceiling only), for investigations. */
  readonly set: Readonly<Record<string, string>>;
}

export function parseCeilingArgs(argv: readonly string[]): CeilingArgs {
  const o = new Command()
    .requiredOption("--brokers <list>")
    .requiredOption("--input-topic <name>")
    .requiredOption("--group <id>")
    .option("--batch-size <n>", "records per consume call", "1000")
    .option("--max-wait-ms <ms>", "max wait for a batch to fill", "500")
    .option("--set <key=value>", "extra client property (repeatable)", collect, [] as string[])
    .parse([...argv], { from: "user" })
    .opts<{
      brokers: string;
      inputTopic: string;
      group: string;
      batchSize: string;
      maxWaitMs: string;
      set: string[];
    }>();
  return {
    brokers: o.brokers.split(","),
    topic: o.inputTopic,
    group: o.group,
    batchSize: Number(o.batchSize),
    maxWaitMs: Number(o.maxWaitMs),
    set: Object.fromEntries(o.set.map(property)),
  };
}

const collect = (value: string, previous: string[]) => [...previous, value];
const property = (text: string): [string, string] => {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new Error(`--set wants key=value, got "${text}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
};

/** The one line a ceiling consumer prints when it has read everything (epoch ms times, sub-millisecond). */
export interface CeilingReport {
  readonly records: number;
  readonly bytes: number;
  readonly firstAt: number;
  readonly lastAt: number;
  /** CPU seconds (user + system, all threads) of the process from the first record to the last. */
  readonly cpuSeconds?: number;
  /** CPU seconds per thread name over the whole process life ("main", "node" helpers, "rdk:broker"...). */
  readonly threads?: Readonly<Record<string, number>>;
}

/**
 * CPU seconds of this process per thread, by name (Linux /proc; empty elsewhere). The main thread is "main",
 * trailing digits of other names are dropped so that e.g. librdkafka's broker threads add up.
 */
export function threadCpuSeconds(): Record<string, number> {
  const out: Record<string, number> = {};
  if (process.platform !== "linux") return out;
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const name =
        tid === String(process.pid)
          ? "main"
          : readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim().replace(/\d+$/, "");
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Tracks consumption against the end offsets known at start. */
export class EndTracker {
  readonly #remaining: Map<number, bigint>;
  records = 0;
  bytes = 0;
  firstAt = 0;
  lastAt = 0;
  #cpuAtFirst: NodeJS.CpuUsage | null = null;
  #cpuAtLast: NodeJS.CpuUsage | null = null;

  constructor(ends: ReadonlyMap<number, bigint>) {
    this.#remaining = new Map([...ends].filter(([, end]) => end > 0n));
  }

  /** Records a batch of one partition whose last offset is `lastOffset`. */
  add(partition: number, count: number, bytes: number, lastOffset: bigint): void {
    const now = performance.timeOrigin + performance.now();
    if (this.records === 0) {
      this.firstAt = now;
      this.#cpuAtFirst = process.cpuUsage();
    }
    this.#cpuAtLast = process.cpuUsage(this.#cpuAtFirst ?? undefined);
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
    const cpu = this.#cpuAtLast;
    return {
      records: this.records,
      bytes: this.bytes,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      ...(cpu === null ? {} : { cpuSeconds: (cpu.user + cpu.system) / 1e6 }),
      threads: threadCpuSeconds(),
    };
  }
}
