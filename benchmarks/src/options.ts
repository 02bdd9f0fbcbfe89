import { Command, InvalidArgumentError } from "commander";
import type { RunnerName } from "./run/runners.js";

export type ScenarioName = "core" | "throughput" | "latency" | "collector";
const SCENARIOS: readonly ScenarioName[] = ["core", "throughput", "latency", "collector"];
const RUNNER_NAMES: readonly RunnerName[] = [
  "kafkajs",
  "rdkafka",
  "kstreams",
  "kafkajs-ceiling",
  "rdkafka-ceiling",
];

export interface BenchOptions {
  /** full / quick, or custom when a flag changed the profile's size (events, repetitions, rates, warm-up). */
  readonly profile: "full" | "quick" | "custom";
  readonly scenarios: readonly ScenarioName[];
  readonly runners: readonly RunnerName[];
  readonly events: number;
  readonly reps: number;
  readonly warmup: boolean;
  readonly seed: number;
  readonly players: number;
  readonly matches: number;
  readonly partitions: number;
  readonly batchSize: number;
  readonly maxWaitMs: number;
  /** The processors' --commit-interval-ms (their default: 1000). */
  readonly commitIntervalMs: number;
  /** The processors' --cache-size, when given (their default otherwise). */
  readonly cacheSize?: number;
  readonly rates: readonly number[];
  readonly rateSeconds: number;
  readonly coreSeconds: number;
  /** Collector scenario: events of the throughput run, and the fixed rate (events/s) and seconds of its latency run. */
  readonly collectorEvents: number;
  readonly collectorRate: number;
  readonly collectorSeconds: number;
  readonly outDir: string;
  readonly name: string;
  readonly cpuProf: boolean;
  readonly fromSource: boolean;
}

/** The full suite as the issue defines it, and the smoke version `--quick` (under 5 minutes). */
export const FULL = {
  events: 2_000_000,
  reps: 3,
  warmup: true,
  rates: [5_000, 10_000, 20_000],
  rateSeconds: 60,
  coreSeconds: 2,
  collectorEvents: 500_000,
  collectorRate: 5_000,
  collectorSeconds: 60,
} as const;
export const QUICK = {
  events: 10_000,
  reps: 1,
  warmup: false,
  rates: [250],
  rateSeconds: 10,
  coreSeconds: 1,
  collectorEvents: 50_000,
  collectorRate: 2_000,
  collectorSeconds: 10,
} as const;

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("a positive integer");
  return n;
};
const list =
  <T extends string>(allowed: readonly T[]) =>
  (value: string): T[] => {
    const items = value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const bad = items.filter((s) => !allowed.includes(s as T));
    if (bad.length > 0)
      throw new InvalidArgumentError(`unknown ${bad.join(", ")}; choose from ${allowed.join(", ")}`);
    return items as T[];
  };
const rates = (value: string): number[] => value.split(",").map((s) => positive(s.trim()));

/** Parses the bench's flags; a flag given explicitly wins over the profile's default. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const program = new Command("gametel-bench")
    .description(
      "gametel benchmarks: core, end-to-end throughput, client ceilings, latency, Kafka Streams reference",
    )
    .option(
      "--quick",
      "smoke version: 10k events, 1 repetition, no warm-up, one latency rate (250/s) for 10 s",
    )
    .option("--scenarios <list>", `comma-separated: ${SCENARIOS.join(",")}`, list(SCENARIOS))
    .option("--runners <list>", `comma-separated: ${RUNNER_NAMES.join(",")}`, list(RUNNER_NAMES))
    .option(
      "--events <n>",
      `events preloaded for throughput (default ${FULL.events}, quick ${QUICK.events})`,
      positive,
    )
    .option("--reps <n>", `repetitions (default ${FULL.reps}, quick ${QUICK.reps})`, positive)
    .option("--no-warmup", "skip the warm-up round")
    .option("--seed <n>", "generator seed", positive, 42)
    .option("--players <n>", "generated player population", positive, 1000)
    .option("--matches <n>", "generated concurrent matches", positive, 60)
    .option("--partitions <n>", "partitions of the benchmark topics", positive, 6)
    .option("--batch-size <n>", "processor --batch-size (and the ceilings' consume size)", positive, 1000)
    .option("--max-wait-ms <n>", "processor --max-wait-ms", positive, 500)
    .option("--commit-interval-ms <n>", "processor --commit-interval-ms", positive, 1000)
    .option("--cache-size <n>", "processor --cache-size (default: the processors' own)", positive)
    .option("--rates <list>", `latency input rates, events/s (default ${FULL.rates.join(",")})`, rates)
    .option("--rate-seconds <n>", `seconds per latency rate (default ${FULL.rateSeconds})`, positive)
    .option("--core-seconds <n>", "seconds per core measurement", positive)
    .option("--out <dir>", "results directory", "results")
    .option("--name <name>", 'results file name stem (default "latest", with --quick "quick")')
    .option("--cpu-prof", "write V8 CPU profiles of the processors into <out>/profiles")
    .option(
      "--from-source",
      "run the processors from their sources with tsx (development; default: built dist)",
    )
    .allowExcessArguments(false)
    .exitOverride();
  program.parse([...argv], { from: "user" });
  const o = program.opts<{
    quick?: boolean;
    scenarios?: ScenarioName[];
    runners?: RunnerName[];
    events?: number;
    reps?: number;
    warmup: boolean;
    seed: number;
    players: number;
    matches: number;
    partitions: number;
    batchSize: number;
    maxWaitMs: number;
    commitIntervalMs: number;
    cacheSize?: number;
    rates?: number[];
    rateSeconds?: number;
    coreSeconds?: number;
    out: string;
    name?: string;
    cpuProf?: boolean;
    fromSource?: boolean;
  }>();
  const base = o.quick === true ? QUICK : FULL;
  const warmupGiven = argv.includes("--no-warmup");
  const resized =
    o.events !== undefined ||
    o.reps !== undefined ||
    o.rates !== undefined ||
    o.rateSeconds !== undefined ||
    warmupGiven;
  return {
    profile: resized ? "custom" : o.quick === true ? "quick" : "full",
    scenarios: o.scenarios ?? SCENARIOS,
    runners: o.runners ?? RUNNER_NAMES,
    events: o.events ?? base.events,
    reps: o.reps ?? base.reps,
    warmup: warmupGiven ? false : base.warmup,
    seed: o.seed,
    players: o.players,
    matches: o.matches,
    partitions: o.partitions,
    batchSize: o.batchSize,
    maxWaitMs: o.maxWaitMs,
    commitIntervalMs: o.commitIntervalMs,
    ...(o.cacheSize === undefined ? {} : { cacheSize: o.cacheSize }),
    rates: o.rates ?? base.rates,
    rateSeconds: o.rateSeconds ?? base.rateSeconds,
    coreSeconds: o.coreSeconds ?? base.coreSeconds,
    collectorEvents: base.collectorEvents,
    collectorRate: base.collectorRate,
    collectorSeconds: base.collectorSeconds,
    outDir: o.out,
    name: o.name ?? (o.quick === true ? "quick" : "latest"),
    cpuProf: o.cpuProf === true,
    fromSource: o.fromSource === true,
  };
}
