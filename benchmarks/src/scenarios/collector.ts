// The collector scenario: HTTP ingestion throughput per core at batches of 100 events, next to the raw kafkajs
// producer (the collector's own Kafka client and settings) on the same broker and events, and request latency
// at a fixed moderate rate. See the README's "Collector" section.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { sign } from "@gametel/collector";
import { freePort } from "@gametel/devstack";
import { createGenerator } from "@gametel/generator";
import { Kafka, Partitioners, logLevel, type Admin } from "kafkajs";
import { createTopic, deleteTopics } from "../clients/admin.js";
import { cpuSecondsFromStat } from "../internal/procStat.js";
import type { Progress } from "../run/progress.js";

const require = createRequire(import.meta.url);
const COLLECTOR_MAIN = join(dirname(require.resolve("@gametel/collector/package.json")), "dist", "main.js");

/** Events per request, as the issue measures it. */
export const COLLECTOR_BATCH = 100;
/** Concurrent HTTP clients during the throughput run. */
const CONCURRENCY = 16;
/** Events per produce request of the raw producer ceiling (it gets large batches, as the collector's coalesce). */
const CEILING_BATCH = 1_000;

export interface CollectorResult {
  readonly events: number;
  readonly batch: number;
  readonly concurrency: number;
  /** Collector: events/s (wall), its CPU seconds, events per CPU second (= events/s per core). */
  readonly collector: {
    readonly eventsPerSec: number;
    readonly cpuSeconds: number;
    readonly perCore: number;
  };
  /** The raw kafkajs producer (idempotent, acks=all, one request in flight) on the same events. */
  readonly ceiling: { readonly eventsPerSec: number; readonly cpuSeconds: number; readonly perCore: number };
  /** collector.perCore / ceiling.perCore. */
  readonly ratio: number;
  /** Every event of the throughput run is in the topic (sum of its partitions' offsets). */
  readonly allInKafka: boolean;
  readonly latency: {
    readonly rate: number;
    readonly seconds: number;
    readonly requests: number;
    readonly failed: number;
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
  };
}

export interface CollectorScenarioOptions {
  readonly admin: Admin;
  readonly brokers: readonly string[];
  readonly events: number;
  readonly seed: number;
  readonly players: number;
  readonly matches: number;
  readonly partitions: number;
  /** Events per second of the latency run, and its length. */
  readonly latencyRate: number;
  readonly latencySeconds: number;
  readonly progress: Progress;
}

const GAME = "arena";
const KEY = { game_id: GAME, key_id: "bench", secret: "gametel-bench-secret-gametel-bench-secret" };
const PATH = `/v1/games/${GAME}/events`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const processCpuSeconds = (pid: number) => cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, "utf8"));

async function topicCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

/** One signed NDJSON request of pre-serialised events; resolves with its status. */
async function post(url: string, lines: readonly string[]): Promise<number> {
  const body = Buffer.from(lines.join("\n"));
  const timestamp = String(Date.now());
  const response = await fetch(`${url}${PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-ndjson",
      "x-gametel-key": KEY.key_id,
      "x-gametel-timestamp": timestamp,
      "x-gametel-signature": sign(KEY.secret, "POST", PATH, timestamp, body),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function ceilingRun(
  brokers: readonly string[],
  topic: string,
  events: readonly { key: string; json: string }[],
) {
  const kafka = new Kafka({
    clientId: "gametel-bench-ceiling",
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < events.length; i += CEILING_BATCH) {
      const messages = events.slice(i, i + CEILING_BATCH).map((e) => ({ key: e.key, value: e.json }));
      await producer.send({ topic, acks: -1, messages });
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    return { eventsPerSec: events.length / seconds, cpuSeconds, perCore: events.length / cpuSeconds };
  } finally {
    await producer.disconnect();
  }
}

export async function runCollectorScenario(o: CollectorScenarioOptions): Promise<CollectorResult> {
  const { admin, brokers, progress } = o;
  const generator = createGenerator({
    seed: o.seed,
    gameId: GAME,
    players: o.players,
    matches: o.matches,
    maxRecords: o.events,
  });
  const events: { key: string; json: string }[] = [];
  for (const r of generator) if (r.kind === "event") events.push({ key: r.key, json: r.json });
  const base = `bench-collector-${Date.now()}`;
  const topics = { ceiling: `${base}.ceiling`, events: `${base}.events`, dlq: `${base}.dlq` };
  for (const t of [topics.ceiling, topics.events]) await createTopic(admin, t, o.partitions);
  await createTopic(admin, topics.dlq, 1);

  try {
    progress.line(
      `collector: raw kafkajs producer ceiling on ${events.length.toLocaleString("en-US")} events`,
    );
    const ceiling = await ceilingRun(brokers, topics.ceiling, events);

    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        COLLECTOR_MAIN,
        ...["--port", String(port), "--host", "127.0.0.1", "--brokers", brokers.join(",")],
        ...["--events-topic", topics.events, "--dlq-topic", topics.dlq, "--log-level", "warn"],
        // The throughput run measures the collector's own ceiling: its per-key token bucket (default 20,000
        // events/s) would answer 429 first on a fast machine.
        ...["--key-rate", "10000000", "--key-burst", "10000000"],
      ],
      {
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, GAMETEL_COLLECTOR_KEYS: JSON.stringify([KEY]) },
      },
    );
    const url = `http://127.0.0.1:${port}`;
    try {
      for (let waited = 0; ; waited += 100) {
        if (
          await fetch(`${url}/readyz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        if (waited > 60_000 || child.exitCode !== null) throw new Error("the collector did not become ready");
        await sleep(100);
      }
      progress.line(`collector: ${CONCURRENCY} concurrent clients, batches of ${COLLECTOR_BATCH}`);
      const batches: string[][] = [];
      for (let i = 0; i < events.length; i += COLLECTOR_BATCH)
        batches.push(events.slice(i, i + COLLECTOR_BATCH).map((e) => e.json));
      let next = 0;
      const cpuBefore = processCpuSeconds(child.pid!);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let b = next++; b < batches.length; b = next++) {
            const status = await post(url, batches[b]!);
            if (status !== 200) throw new Error(`collector answered ${status} during the throughput run`);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const cpuSeconds = processCpuSeconds(child.pid!) - cpuBefore;
      const collector = {
        eventsPerSec: events.length / seconds,
        cpuSeconds,
        perCore: events.length / cpuSeconds,
      };
      const allInKafka = (await topicCount(admin, topics.events)) === events.length;

      progress.line(`collector: request latency at ${o.latencyRate} events/s for ${o.latencySeconds} s`);
      const interval = (1000 * COLLECTOR_BATCH) / o.latencyRate;
      const total = Math.max(1, Math.round((o.latencySeconds * 1000) / interval));
      const latencies: number[] = [];
      let failed = 0;
      const inFlight: Promise<void>[] = [];
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        // Open loop: requests leave on schedule whether or not earlier ones were answered.
        const due = t0 + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const lines = batches[i % batches.length]!;
        inFlight.push(
          (async () => {
            const sent = performance.now();
            const status = await post(url, lines).catch(() => 0);
            if (status === 200) latencies.push(performance.now() - sent);
            else failed += 1;
          })(),
        );
      }
      await Promise.all(inFlight);
      latencies.sort((a, b) => a - b);
      const latency = {
        rate: o.latencyRate,
        seconds: o.latencySeconds,
        requests: total,
        failed,
        p50: percentile(latencies, 0.5),
        p95: percentile(latencies, 0.95),
        p99: percentile(latencies, 0.99),
        max: latencies.at(-1) ?? 0,
      };
      return {
        events: events.length,
        batch: COLLECTOR_BATCH,
        concurrency: CONCURRENCY,
        collector,
        ceiling,
        ratio: collector.perCore / ceiling.perCore,
        allInKafka,
        latency,
      };
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
    }
  } finally {
    await deleteTopics(admin, Object.values(topics));
  }
}
