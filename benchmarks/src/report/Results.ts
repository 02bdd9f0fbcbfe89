import type { CollectorResult } from "../scenarios/collector.js";
import type { CoreResult } from "../scenarios/core.js";
import type { LatencyRun } from "../scenarios/latency.js";
import type { ThroughputRun } from "../scenarios/throughput.js";
import type { MachineInfo } from "../run/machine.js";
import type { RunnerName } from "../run/runners.js";
import { ratio, summarize, type Summary } from "../internal/stats.js";

export interface RunnerSummary {
  /** Measured runs (warm-up excluded) and how many of them succeeded with verified results. */
  readonly runs: number;
  readonly ok: number;
  readonly verifiedAll: boolean | null;
  readonly eventsPerSec: Summary | null;
  readonly mbPerSec: Summary | null;
  readonly cpuSecondsPerMillion: Summary | null;
  readonly peakRssMb: Summary | null;
  readonly wallSeconds: Summary | null;
  readonly eventsPerSecInclStartup: Summary | null;
  readonly startupSeconds: Summary | null;
  readonly brokerCpuSeconds: Summary | null;
  readonly mongoCpuSeconds: Summary | null;
  /** From the processors' own metrics (absent for other runners and older results files). */
  readonly storeWritesPerEvent?: Summary | null;
  readonly documentsPerEvent?: Summary | null;
  readonly bytesPerEvent?: Summary | null;
  readonly cpuMicrosPerEvent?: Summary | null;
  /** Median bytes written per event by collection over the verified runs (where the bytes go). */
  readonly bytesPerEventByCollection?: Readonly<Record<string, number>> | null;
}

export interface Target {
  readonly name: string;
  readonly goal: number;
  readonly measured: number | null;
  /** null when not measured, or when verdicts are withheld (see `verdictsWithheld`). */
  readonly met: boolean | null;
  /** The goal is a ceiling (measured ≤ goal), not a floor. */
  readonly atMost?: boolean;
  /** How the figure reads: a ratio of two runners (×, the default) or a plain number (per event, ms). */
  readonly unit?: "ratio" | "number";
}

/** What the processor targets (issue 15) are judged on: the throughput summary and the latency runs. */
export interface ProcessorFigures {
  readonly summary: Readonly<Partial<Record<RunnerName, RunnerSummary>>> | null;
  readonly latency: readonly LatencyRun[] | null;
}

/**
 * Fewest preloaded events for which the bench judges its targets. Below this, a runner's steady window is a few
 * seconds at the processors' rates (and a fraction of a second for the no-op ceilings), so start-up, group join,
 * JIT warm-up and the first MongoDB round trips weigh as much as throughput: the ratios are printed, not judged.
 */
export const MIN_EVENTS_FOR_VERDICTS = 500_000;

/** Why the run's targets get no yes/no verdict, or null when they do. */
export function verdictsWithheld(run: { readonly profile: string; readonly events: number }): string | null {
  const events = run.events.toLocaleString("en-US");
  if (run.profile === "quick")
    return (
      `--quick is a smoke run (${events} events, one repetition, no warm-up): it measures start-up and JIT warm-up, ` +
      "not throughput, so its ratios are shown without verdicts"
    );
  if (run.events < MIN_EVENTS_FOR_VERDICTS)
    return (
      `${events} events is below the ${MIN_EVENTS_FOR_VERDICTS.toLocaleString("en-US")} the bench needs to judge targets: ` +
      "start-up and JIT warm-up weigh too much in so short a run, so its ratios are shown without verdicts"
    );
  return null;
}

export interface BenchResults {
  readonly generatedAt: string;
  readonly profile: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly machine: MachineInfo;
  readonly dataset: {
    readonly topic: string;
    readonly events: number;
    readonly bytes: number;
    readonly avgBytes: number;
    readonly seed: number;
    readonly players: number;
    readonly matches: number;
    readonly partitions: number;
    readonly produceSeconds: number;
    readonly expectedCounts: Readonly<Record<string, number>>;
  } | null;
  readonly core: CoreResult | null;
  readonly throughput: {
    readonly runs: readonly ThroughputRun[];
    readonly summary: Readonly<Partial<Record<RunnerName, RunnerSummary>>>;
  } | null;
  readonly latency: {
    readonly runs: readonly LatencyRun[];
    readonly highestSustained: Readonly<Partial<Record<RunnerName, number | null>>>;
  } | null;
  /** HTTP ingestion through the collector (null when the scenario did not run). */
  readonly collector?: CollectorResult | null;
  readonly ratios: Readonly<Record<string, number | null>>;
  readonly targets: readonly Target[];
  /** Why the targets have no verdicts (quick or too small a run); null or absent when they are judged. */
  readonly verdictsWithheld?: string | null;
  /** Scenarios that failed, with their error (their figures are absent). */
  readonly scenarioErrors?: Readonly<Record<string, string>>;
}

export function summarizeRuns(runs: readonly ThroughputRun[]): Partial<Record<RunnerName, RunnerSummary>> {
  const out: Partial<Record<RunnerName, RunnerSummary>> = {};
  const names = [...new Set(runs.map((r) => r.runner))];
  for (const name of names) {
    const measured = runs.filter((r) => r.runner === name && r.rep >= 0);
    const ok = measured.filter((r) => r.ok);
    const pick = (f: (r: ThroughputRun) => number | null) =>
      summarize(ok.map(f).filter((v): v is number => v !== null));
    const verifiable = measured.filter((r) => r.verified !== null);
    out[name] = {
      runs: measured.length,
      ok: ok.length,
      verifiedAll: verifiable.length === 0 ? null : verifiable.every((r) => r.verified === true),
      eventsPerSec: pick((r) => r.eventsPerSec),
      mbPerSec: pick((r) => r.mbPerSec),
      cpuSecondsPerMillion: pick((r) => r.cpuSecondsPerMillion),
      peakRssMb: pick((r) => r.peakRssMb),
      wallSeconds: pick((r) => r.wallSeconds),
      eventsPerSecInclStartup: pick((r) => r.eventsPerSecInclStartup),
      startupSeconds: pick((r) => r.startupSeconds),
      brokerCpuSeconds: pick((r) => r.serviceCpuSeconds.kafka ?? null),
      mongoCpuSeconds: pick((r) => r.serviceCpuSeconds.mongo ?? null),
      storeWritesPerEvent: pick((r) => r.store?.writesPerEvent ?? null),
      documentsPerEvent: pick((r) => r.store?.documentsPerEvent ?? null),
      bytesPerEvent: pick((r) => r.store?.bytesPerEvent ?? null),
      cpuMicrosPerEvent: pick((r) => r.store?.cpuMicrosPerEvent ?? null),
      bytesPerEventByCollection: medianByKey(ok.map((r) => r.store?.bytesPerEventByCollection)),
    };
  }
  return out;
}

/** Median of each key over the records that have it; null when none has any. */
function medianByKey(
  records: readonly (Readonly<Record<string, number>> | undefined)[],
): Record<string, number> | null {
  const keys = [...new Set(records.flatMap((r) => (r === undefined ? [] : Object.keys(r))))].sort();
  if (keys.length === 0) return null;
  return Object.fromEntries(
    keys.map((k) => [
      k,
      summarize(records.flatMap((r) => (r?.[k] === undefined ? [] : [r[k]!])))?.median ?? 0,
    ]),
  );
}

/** Highest tested rate per runner that it sustained (null when it sustained none of them). */
export function highestSustained(runs: readonly LatencyRun[]): Partial<Record<RunnerName, number | null>> {
  const out: Partial<Record<RunnerName, number | null>> = {};
  for (const r of runs) {
    const best = out[r.runner] ?? null;
    out[r.runner] = r.sustained && r.verified !== false && (best === null || r.rate > best) ? r.rate : best;
  }
  return out;
}

export function ratiosOf(summary: Partial<Record<RunnerName, RunnerSummary>>): Record<string, number | null> {
  const eps = (n: RunnerName) => summary[n]?.eventsPerSec;
  return {
    "rdkafka / kafkajs": ratio(eps("rdkafka"), eps("kafkajs")),
    "kafkajs / kafkajs ceiling": ratio(eps("kafkajs"), eps("kafkajs-ceiling")),
    "rdkafka / rdkafka ceiling": ratio(eps("rdkafka"), eps("rdkafka-ceiling")),
    "kafkajs / Kafka Streams": ratio(eps("kafkajs"), eps("kstreams")),
    "rdkafka / Kafka Streams": ratio(eps("rdkafka"), eps("kstreams")),
  };
}

export function targetsOf(
  ratios: Record<string, number | null>,
  core: CoreResult | null,
  collector: CollectorResult | null = null,
  withheld: string | null = null,
  processors: ProcessorFigures = { summary: null, latency: null },
): Target[] {
  const target = (
    name: string,
    goal: number,
    measured: number | null | undefined,
    how: { atMost?: boolean; unit?: "ratio" | "number" } = {},
  ): Target => ({
    name,
    goal,
    measured: measured ?? null,
    met:
      measured == null || withheld !== null
        ? null
        : how.atMost === true
          ? measured <= goal
          : measured >= goal,
    ...how,
  });
  const engines: RunnerName[] = ["rdkafka", "kafkajs"];
  const worst = (f: (s: RunnerSummary) => Summary | null | undefined): number | null => {
    const values = engines.map((n) => processors.summary?.[n]).map((s) => (s == null ? null : f(s)?.median));
    return values.some((v) => v == null) ? null : Math.max(...(values as number[]));
  };
  const ksCpu = processors.summary?.kstreams?.cpuSecondsPerMillion?.median;
  const engineCpu = worst((s) => s.cpuSecondsPerMillion);
  const sustained = processors.latency === null ? {} : highestSustained(processors.latency);
  const p99At = (runner: RunnerName): number | null => {
    const rate = sustained[runner];
    if (rate == null || processors.latency === null) return null;
    return processors.latency.find((l) => l.runner === runner && l.rate === rate)?.p99 ?? null;
  };
  const atMost = { atMost: true, unit: "number" as const };
  return [
    target("node-rdkafka engine ≥ 1.5× the kafkajs engine", 1.5, ratios["rdkafka / kafkajs"]),
    target("kafkajs engine ≥ 70% of its client ceiling", 0.7, ratios["kafkajs / kafkajs ceiling"]),
    target("node-rdkafka engine ≥ 70% of its client ceiling", 0.7, ratios["rdkafka / rdkafka ceiling"]),
    target("node-rdkafka engine ≥ 1.0× Kafka Streams", 1.0, ratios["rdkafka / Kafka Streams"]),
    target(
      "processor CPU per event ≤ 0.5× Kafka Streams' (CPU s per 1M events, start-up included, worse engine)",
      0.5,
      engineCpu === null || ksCpu == null || ksCpu === 0 ? null : engineCpu / ksCpu,
      { atMost: true },
    ),
    target(
      "MongoDB bulk writes per event ≤ 0.01 (worse engine)",
      0.01,
      worst((s) => s.storeWritesPerEvent),
      atMost,
    ),
    target(
      "bytes written to MongoDB per event ≤ 100 (worse engine)",
      100,
      worst((s) => s.bytesPerEvent),
      atMost,
    ),
    target(
      "kafkajs engine p99 produce → visible ≤ 2,000 ms at its highest sustained rate",
      2000,
      p99At("kafkajs"),
      atMost,
    ),
    target(
      "node-rdkafka engine p99 produce → visible ≤ 2,000 ms at its highest sustained rate",
      2000,
      p99At("rdkafka"),
      atMost,
    ),
    target("core decode+reduce ≥ 1M events/s per core", 1_000_000, core?.pipeline.decodeReducePerCore),
    target("collector ≥ 50% of the raw producer, events/s per core", 0.5, collector?.ratio),
  ];
}
