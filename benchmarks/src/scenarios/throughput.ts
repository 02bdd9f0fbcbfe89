import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, uniqueName } from "@gametel/devstack";
import type { Admin } from "kafkajs";
import type { MongoClient } from "mongodb";
import { committedOffsets, committedRecords, deleteTopics } from "../clients/admin.js";
import type { CeilingReport } from "../ceiling/args.js";
import type { StoreFigures } from "../internal/storeFigures.js";
import { alternate } from "../internal/stats.js";
import { startChild } from "../run/child.js";
import { ProcessorMeter } from "../run/processorMetrics.js";
import { serviceCpuMeter } from "../run/services.js";
import type { Dataset } from "../run/dataset.js";
import type { Progress } from "../run/progress.js";
import type { Runner, RunnerName } from "../run/runners.js";
import { verifyKstreams, verifyMongo } from "../run/verify.js";

export interface ThroughputRun {
  readonly runner: RunnerName;
  readonly kind: Runner["kind"];
  /** 0-based repetition; -1 = the warm-up (not in the medians). */
  readonly rep: number;
  readonly ok: boolean;
  /** Results checked against the batch recomputation (ceilings have none: null). */
  readonly verified: boolean | null;
  readonly diffs: readonly string[];
  readonly exitCode: number | null;
  readonly events: number;
  /** Steady-state rate: from the first observed progress to caught up (see README). */
  readonly eventsPerSec: number | null;
  readonly mbPerSec: number | null;
  /** Process start to exit. */
  readonly wallSeconds: number;
  /** events / wallSeconds: the rate including start-up (connect, join, JIT) and shutdown. */
  readonly eventsPerSecInclStartup: number;
  /** Process start to the first observed progress (connect, join, first batch). */
  readonly startupSeconds: number | null;
  readonly cpuSeconds: number | null;
  readonly cpuSecondsPerMillion: number | null;
  readonly peakRssMb: number | null;
  /** CPU seconds the local Kafka broker and MongoDB server used during the run (shared machine: see README). */
  readonly serviceCpuSeconds: Readonly<Partial<Record<"kafka" | "mongo", number>>>;
  /**
   * The processors' own metrics (null for Kafka Streams and the ceilings): MongoDB writes, documents and bytes per
   * event, and CPU per event once records flow. Optional: results files from before they existed lack it.
   */
  readonly store?: StoreFigures | null;
  readonly error?: string;
}

export interface ThroughputOptions {
  readonly admin: Admin;
  readonly mongo: MongoClient;
  readonly brokers: readonly string[];
  readonly mongoUri: string;
  readonly dataset: Dataset;
  readonly runners: readonly Runner[];
  readonly reps: number;
  readonly warmup: boolean;
  readonly batchSize: number;
  readonly maxWaitMs: number;
  readonly commitIntervalMs: number;
  readonly cacheSize?: number;
  readonly progress: Progress;
  readonly cpuProfileDir?: string;
  readonly fromSource: boolean;
}

const POLL_MS = 200;

/** Every runner on the preloaded topic: one warm-up round, then `reps` rounds, the order rotating each round. */
export async function runThroughput(options: ThroughputOptions): Promise<ThroughputRun[]> {
  const runs: ThroughputRun[] = [];
  const first = options.warmup ? -1 : 0;
  for (let rep = first; rep < options.reps; rep++) {
    for (const runner of alternate(options.runners, rep - first)) {
      const label = `${runner.name} ${rep < 0 ? "warm-up" : `rep ${rep + 1}/${options.reps}`}`;
      const run = await runOnce(options, runner, rep, label);
      runs.push(run);
      const rate = run.eventsPerSec === null ? "-" : Math.round(run.eventsPerSec).toLocaleString("en-US");
      options.progress.line(
        `${label}: ${run.ok ? "ok" : "FAILED"} ${rate} events/s, wall ${run.wallSeconds.toFixed(1)} s` +
          (run.verified === null
            ? ""
            : run.verified
              ? ", results verified"
              : `, results WRONG: ${run.diffs[0] ?? ""}`) +
          (run.error === undefined ? "" : `, ${run.error}`),
      );
    }
  }
  return runs;
}

async function runOnce(
  o: ThroughputOptions,
  runner: Runner,
  rep: number,
  label: string,
): Promise<ThroughputRun> {
  const id = uniqueName(`bench-${runner.name}`);
  const output = `${id}.out`;
  const dlq = `${id}.dlq`;
  const stateDir = join(tmpdir(), id);
  const total = o.dataset.events;
  const ends = new Map<number, bigint>();
  for (const p of await o.admin.fetchTopicOffsets(o.dataset.topic)) ends.set(p.partition, BigInt(p.high));

  let ceilingReport: CeilingReport | null = null;
  const metricsPort = runner.kind === "engine" ? await freePort() : undefined;
  const meter = metricsPort === undefined ? null : new ProcessorMeter(metricsPort);
  const serviceCpu = serviceCpuMeter();
  const timeoutMs = 120_000 + total * 2;
  const child = startChild(
    runner.command({
      brokers: o.brokers,
      mongoUri: o.mongoUri,
      db: id,
      group: id,
      input: o.dataset.topic,
      output,
      dlq,
      partitions: o.dataset.partitions,
      batchSize: o.batchSize,
      maxWaitMs: o.maxWaitMs,
      commitIntervalMs: o.commitIntervalMs,
      ...(o.cacheSize === undefined ? {} : { cacheSize: o.cacheSize }),
      exitWhenCaughtUp: true,
      stateDir,
      fromSource: o.fromSource,
      ...(metricsPort === undefined ? {} : { metricsPort }),
      ...(o.cpuProfileDir === undefined || runner.kind !== "engine"
        ? {}
        : { cpuProfileDir: o.cpuProfileDir }),
    }),
    {
      measure: true,
      timeoutMs,
      onLine: (line) => {
        if (runner.kind === "ceiling" && line.startsWith("{"))
          ceilingReport = JSON.parse(line) as CeilingReport;
      },
    },
  );
  const started = performance.now();

  // Progress of committing runners (engines, Kafka Streams): the group's committed offsets.
  let firstSeen: { t: number; n: number } | null = null;
  let caughtUpAt: number | null = null;
  let lastReport = started;
  let polling = runner.kind !== "ceiling";
  const poller = (async () => {
    while (polling) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      await meter?.scrape();
      try {
        const n = committedRecords(await committedOffsets(o.admin, id, o.dataset.topic), ends);
        const t = performance.now();
        if (n > 0 && firstSeen === null) firstSeen = { t, n };
        if (n >= total && caughtUpAt === null) caughtUpAt = t;
        if (t - lastReport > 3000) {
          lastReport = t;
          o.progress.line(
            `  ${label}: ${((100 * n) / total).toFixed(0)}% (${n.toLocaleString("en-US")} events)`,
          );
        }
      } catch {
        // the group may not exist yet
      }
    }
  })();
  const result = await child.done;
  const serviceCpuSeconds = serviceCpu();
  polling = false;
  await poller;

  const usage = result.usage;
  const cpuSeconds = usage === null ? null : usage.userSeconds + usage.systemSeconds;
  let eventsPerSec: number | null = null;
  let startupSeconds: number | null = null;
  const fs = firstSeen as { t: number; n: number } | null;
  if (runner.kind === "ceiling") {
    const report = ceilingReport as CeilingReport | null;
    if (report !== null && report.lastAt > report.firstAt)
      eventsPerSec = report.records / ((report.lastAt - report.firstAt) / 1000);
  } else if (fs !== null && caughtUpAt !== null) {
    startupSeconds = (fs.t - started) / 1000;
    const window = (caughtUpAt - fs.t) / 1000;
    // Runs too short for a steady window fall back to the whole time from start to caught up.
    eventsPerSec = window >= 1 ? (total - fs.n) / window : total / ((caughtUpAt - started) / 1000);
  }

  let verified: boolean | null = null;
  let diffs: readonly string[] = [];
  let error: string | undefined;
  // A run stopped at its time limit exits cleanly with a consistent prefix of the input applied: it is reported as
  // timed out, not compared with the whole input's results (which it cannot match).
  if (result.timedOut)
    error = `timed out after ${(timeoutMs / 1000).toFixed(0)} s; stopped, results not compared`;
  else
    try {
      if (runner.kind === "engine")
        ({ verified, diffs } = await verifyMongo(o.mongo, id, o.dataset.expected));
      if (runner.kind === "reference")
        ({ verified, diffs } = await verifyKstreams(o.brokers, output, o.dataset.expected, id));
    } catch (e) {
      verified = false;
      error = `verification failed: ${(e as Error).message}`;
    }
  if (result.exitCode !== 0 && !result.timedOut)
    error = `exit ${result.exitCode ?? result.signal}: ${result.stderrTail.slice(-400)}`;
  const ceilingRead = (ceilingReport as CeilingReport | null)?.records;
  if (runner.kind === "ceiling" && ceilingRead !== total)
    error ??= `read ${ceilingRead ?? 0} of ${total} records`;

  await cleanup(o, id, [output, dlq], stateDir, runner.kind === "engine");
  const ok = result.exitCode === 0 && verified !== false && eventsPerSec !== null && error === undefined;
  return {
    runner: runner.name,
    kind: runner.kind,
    rep,
    ok,
    verified,
    diffs,
    exitCode: result.exitCode,
    events: total,
    eventsPerSec,
    mbPerSec: eventsPerSec === null ? null : (eventsPerSec * o.dataset.avgBytes) / 1e6,
    wallSeconds: usage?.wallSeconds ?? result.wallSeconds,
    eventsPerSecInclStartup: total / (usage?.wallSeconds ?? result.wallSeconds),
    startupSeconds,
    cpuSeconds,
    cpuSecondsPerMillion: cpuSeconds === null ? null : (cpuSeconds / total) * 1e6,
    peakRssMb: usage === null ? null : usage.maxRssBytes / 2 ** 20,
    serviceCpuSeconds,
    store: meter?.figures() ?? null,
    ...(error === undefined ? {} : { error }),
  };
}

async function cleanup(o: ThroughputOptions, id: string, topics: string[], stateDir: string, mongo: boolean) {
  if (mongo)
    await o.mongo
      .db(id)
      .dropDatabase()
      .catch(() => undefined);
  // Kafka Streams' internal topics are named after the application id.
  await deleteTopics(o.admin, [...topics, `${id}.late`], [`${id}-`]);
  await o.admin.deleteGroups([id]).catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
}
