/**
 * `pnpm bench` / `pnpm bench --quick`: every scenario in one run, results in benchmarks/results/.
 * See the README's "Benchmarks" section for what is measured and how.
 */
import { mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { kafkaBrokers, mongoUri, uniqueName } from "@gametel/devstack";
import { CommanderError } from "commander";
import { MongoClient } from "mongodb";
import { connectAdmin, deleteTopics } from "./clients/admin.js";
import { parseBenchArgs, type BenchOptions } from "./options.js";
import { writeReport } from "./report/writeReport.js";
import {
  highestSustained,
  ratiosOf,
  summarizeRuns,
  targetsOf,
  verdictsWithheld,
  type BenchResults,
} from "./report/Results.js";
import { preload, type Dataset } from "./run/dataset.js";
import { ensureKstreamsJar } from "./run/kstreamsJar.js";
import { machineInfo } from "./run/machine.js";
import { stderrProgress } from "./run/progress.js";
import { KSTREAMS_DIR, RUNNERS } from "./run/runners.js";
import { runCollectorScenario, type CollectorResult } from "./scenarios/collector.js";
import { runCore, type CoreResult } from "./scenarios/core.js";
import { runLatency, type LatencyRun } from "./scenarios/latency.js";
import { runThroughput, type ThroughputRun } from "./scenarios/throughput.js";

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

function options(): BenchOptions {
  try {
    return parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    throw e;
  }
}

const kafkaVersion = () =>
  /<kafka\.version>([^<]+)</.exec(readFileSync(join(KSTREAMS_DIR, "pom.xml"), "utf8"))?.[1] ?? "unknown";

async function main(): Promise<number> {
  const o = options();
  const progress = stderrProgress();
  const brokers = kafkaBrokers();
  const uri = mongoUri();
  const admin = await connectAdmin(brokers);
  const mongo = await MongoClient.connect(uri);
  const runners = o.runners.map((n) => RUNNERS[n]);
  const engines = runners.filter((r) => r.kind !== "ceiling");
  progress.line(
    `profile ${o.profile}: scenarios ${o.scenarios.join(", ")}; runners ${o.runners.join(", ")}; ` +
      `${o.events.toLocaleString("en-US")} events, ${o.reps} rep(s)${o.warmup ? " + warm-up" : ""}; ` +
      `latency ${o.rates.join(", ")} events/s for ${o.rateSeconds} s`,
  );
  const machine = await machineInfo(mongo, kafkaVersion());
  const outDir = resolve(BENCH_DIR, o.outDir);
  mkdirSync(outDir, { recursive: true });
  const cpuProfileDir = o.cpuProf ? join(outDir, "profiles") : undefined;
  if (cpuProfileDir !== undefined) mkdirSync(cpuProfileDir, { recursive: true });

  let core: CoreResult | null = null;
  let dataset: Dataset | null = null;
  let throughput: ThroughputRun[] | null = null;
  let latency: LatencyRun[] | null = null;
  let collector: CollectorResult | null = null;
  const scenarioErrors: Record<string, string> = {};
  try {
    if (o.scenarios.includes("core")) core = await runCore(o, o.coreSeconds, progress);
    if (
      o.runners.includes("kstreams") &&
      (o.scenarios.includes("throughput") || o.scenarios.includes("latency"))
    )
      await ensureKstreamsJar(progress);
    if (o.scenarios.includes("throughput")) {
      const topic = uniqueName("bench-input");
      try {
        dataset = await preload(admin, brokers, topic, o, progress);
        throughput = await runThroughput({
          admin,
          mongo,
          brokers,
          mongoUri: uri,
          dataset,
          runners,
          reps: o.reps,
          warmup: o.warmup,
          batchSize: o.batchSize,
          maxWaitMs: o.maxWaitMs,
          commitIntervalMs: o.commitIntervalMs,
          ...(o.cacheSize === undefined ? {} : { cacheSize: o.cacheSize }),
          progress,
          fromSource: o.fromSource,
          ...(cpuProfileDir === undefined ? {} : { cpuProfileDir }),
        });
      } finally {
        await deleteTopics(admin, [topic]);
      }
    }
    if (o.scenarios.includes("latency") && engines.length > 0) {
      latency = await runLatency({
        admin,
        mongo,
        brokers,
        mongoUri: uri,
        data: o,
        runners: engines,
        rates: o.rates,
        durationSeconds: o.rateSeconds,
        batchSize: o.batchSize,
        maxWaitMs: o.maxWaitMs,
        commitIntervalMs: o.commitIntervalMs,
        ...(o.cacheSize === undefined ? {} : { cacheSize: o.cacheSize }),
        progress,
        fromSource: o.fromSource,
      });
    }
    if (o.scenarios.includes("collector")) {
      // A failing last scenario must not lose the hour of measurements before it: it is reported and the bench
      // still writes everything else, then exits 1.
      collector = await runCollectorScenario({
        admin,
        brokers,
        events: o.collectorEvents,
        seed: o.seed,
        players: o.players,
        matches: o.matches,
        partitions: o.partitions,
        latencyRate: o.collectorRate,
        latencySeconds: o.collectorSeconds,
        progress,
      }).catch((error: unknown) => {
        scenarioErrors.collector = (error as Error).message;
        progress.line(
          `collector scenario FAILED: ${(error as Error).message}; the other scenarios are still written`,
        );
        return null;
      });
    }
  } finally {
    await admin.disconnect();
    await mongo.close();
  }

  const summary = throughput === null ? null : summarizeRuns(throughput);
  const ratios = summary === null ? {} : ratiosOf(summary);
  const withheld = verdictsWithheld({ profile: o.profile, events: o.events });
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    profile: o.profile,
    options: { ...o },
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    dataset:
      dataset === null
        ? null
        : {
            topic: dataset.topic,
            events: dataset.events,
            bytes: dataset.bytes,
            avgBytes: dataset.avgBytes,
            seed: dataset.seed,
            players: dataset.players,
            matches: dataset.matches,
            partitions: dataset.partitions,
            produceSeconds: dataset.produceSeconds,
            expectedCounts: dataset.expected.counts,
          },
    core,
    throughput: throughput === null || summary === null ? null : { runs: throughput, summary },
    latency: latency === null ? null : { runs: latency, highestSustained: highestSustained(latency) },
    collector,
    ratios,
    targets: targetsOf(ratios, core, collector, withheld, { summary, latency }),
    verdictsWithheld: withheld,
    ...(Object.keys(scenarioErrors).length === 0 ? {} : { scenarioErrors }),
  };
  const stem = join(outDir, o.name);
  const markdown = await writeReport(stem, results);
  process.stdout.write(`${markdown}\n`);
  progress.line(`wrote ${stem}.json, .md and plots`);

  const wrong =
    (throughput ?? []).some((r) => r.verified === false) || (latency ?? []).some((r) => r.verified === false);
  if (wrong) progress.line("some runs produced WRONG results (see above): exit 1");
  return wrong || Object.keys(scenarioErrors).length > 0 ? 1 : 0;
}

process.exitCode = await main();
