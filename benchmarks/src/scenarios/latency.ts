import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uniqueName } from "@gametel/devstack";
import { recomputeExpected } from "@gametel/runtime/testing";
import * as hdr from "hdr-histogram-js";
import type { Admin } from "kafkajs";
import type { MongoClient } from "mongodb";
import { committedOffsets, createTopic, deleteTopics } from "../clients/admin.js";
import { BenchProducer, type Delivered } from "../clients/produce.js";
import { sustainVerdict, type BacklogSample } from "../internal/lag.js";
import { alternate } from "../internal/stats.js";
import { startChild } from "../run/child.js";
import { generateValues, type DatasetOptions } from "../run/dataset.js";
import type { Progress } from "../run/progress.js";
import type { Runner, RunnerName } from "../run/runners.js";
import { verifyKstreams, verifyMongo } from "../run/verify.js";

export interface LatencyRun {
  readonly runner: RunnerName;
  /** Target input rate, events/s, and what the producer achieved. */
  readonly rate: number;
  readonly achievedRate: number;
  readonly durationSeconds: number;
  /** Produced at the rate before the measured period; not in the percentiles. */
  readonly warmupSeconds: number;
  /** All records produced (warm-up included) and how many became visible. */
  readonly produced: number;
  readonly visible: number;
  /** Milliseconds from the produce call to the result being visible (MongoDB; Kafka Streams: committed output). */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  readonly sustained: boolean;
  readonly backlogSlope: number;
  readonly finalBacklog: number;
  /** Seconds after production stopped until everything was visible (null = not within the drain timeout). */
  readonly drainSeconds: number | null;
  readonly verified: boolean | null;
  readonly diffs: readonly string[];
  readonly error?: string;
}

export interface LatencyOptions {
  readonly admin: Admin;
  readonly mongo: MongoClient;
  readonly brokers: readonly string[];
  readonly mongoUri: string;
  readonly data: Omit<DatasetOptions, "events">;
  readonly runners: readonly Runner[];
  readonly rates: readonly number[];
  readonly durationSeconds: number;
  readonly batchSize: number;
  readonly maxWaitMs: number;
  readonly commitIntervalMs: number;
  readonly cacheSize?: number;
  readonly progress: Progress;
  readonly fromSource: boolean;
}

const POLL_MS = 100;
/** Produced at the rate before the measured period, not recorded: start-up (first loads, JIT) is not latency. */
export const warmupSecondsFor = (durationSeconds: number): number =>
  Math.min(10, Math.max(2, durationSeconds / 4));
const TICK_MS = 10;
const DRAIN_TIMEOUT_MS = 30_000;

/** For each rate, each runner (rotating order) on a fresh topic: produce at that rate, time visibility. */
export async function runLatency(o: LatencyOptions): Promise<LatencyRun[]> {
  const runs: LatencyRun[] = [];
  for (const [i, rate] of o.rates.entries()) {
    for (const runner of alternate(o.runners, i)) {
      const run = await runOnce(o, runner, rate);
      runs.push(run);
      o.progress.line(
        `latency ${runner.name} @ ${rate}/s: p50 ${run.p50 ?? "-"} ms, p95 ${run.p95 ?? "-"} ms, p99 ${run.p99 ?? "-"} ms, ` +
          `${run.sustained ? "sustained" : "NOT sustained"} (backlog slope ${run.backlogSlope.toFixed(0)}/s)` +
          (run.verified === false ? `, results WRONG: ${run.diffs[0] ?? run.error ?? ""}` : "") +
          (run.error === undefined ? "" : `, ${run.error}`),
      );
    }
  }
  return runs;
}

/** Pending records waiting to become visible, per visibility key (MongoDB key or partition), in offset order. */
class Pending {
  readonly #byKey = new Map<string, Array<{ offset: number; sentAt: number }>>();
  size = 0;
  add(key: string, offset: number, sentAt: number) {
    let list = this.#byKey.get(key);
    if (list === undefined) this.#byKey.set(key, (list = []));
    list.push({ offset, sentAt });
    this.size += 1;
  }
  /** Pops every record of `key` with offset <= `upTo`, returning their send times. */
  release(key: string, upTo: number, now: number, record: (ms: number, sentAt: number) => void) {
    const list = this.#byKey.get(key);
    if (list === undefined) return;
    let n = 0;
    while (n < list.length && list[n]!.offset <= upTo) {
      const sentAt = list[n++]!.sentAt;
      record(now - sentAt, sentAt);
    }
    if (n > 0) {
      list.splice(0, n);
      this.size -= n;
    }
  }
}

async function waitForGroup(admin: Admin, group: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const { groups } = await admin.describeGroups([group]);
      const g = groups[0];
      if (g !== undefined && g.state === "Stable" && g.members.length > 0) return true;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function runOnce(o: LatencyOptions, runner: Runner, rate: number): Promise<LatencyRun> {
  const id = uniqueName(`lat-${runner.name}`);
  const input = `${id}.in`;
  const output = `${id}.out`;
  const stateDir = join(tmpdir(), id);
  await createTopic(o.admin, input, o.data.partitions);
  const child = startChild(
    runner.command({
      brokers: o.brokers,
      mongoUri: o.mongoUri,
      db: id,
      group: id,
      input,
      output,
      dlq: `${id}.dlq`,
      partitions: o.data.partitions,
      batchSize: o.batchSize,
      maxWaitMs: o.maxWaitMs,
      commitIntervalMs: o.commitIntervalMs,
      ...(o.cacheSize === undefined ? {} : { cacheSize: o.cacheSize }),
      exitWhenCaughtUp: false,
      stateDir,
      fromSource: o.fromSource,
    }),
    { timeoutMs: 120_000 + o.durationSeconds * 1000 + DRAIN_TIMEOUT_MS },
  );
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000,
    numberOfSignificantValueDigits: 3,
  });
  const pending = new Pending();
  const values: string[] = [];
  let produced = 0;
  let visible = 0;
  let error: string | undefined;
  const byPartition = runner.kind !== "engine";
  const onDelivered = (d: Delivered) => {
    const { key, sentAt } = d.opaque as { key: string; sentAt: number };
    pending.add(byPartition ? String(d.partition) : key, d.offset, sentAt);
  };
  const producer = await BenchProducer.connect(o.brokers, { lingerMs: 5, onDelivered });
  const samples: BacklogSample[] = [];
  let productionStart = 0;
  let polling = true;
  let measuring = false;
  let warmupRecords = 0;
  const record = (ms: number, sentAt: number) => {
    visible += 1;
    if (sentAt >= productionStart && productionStart > 0) histogram.recordValue(Math.max(1, Math.round(ms)));
  };
  const poller = (async () => {
    const keyState = o.mongo.db(id).collection<{ _id: string; _offset?: unknown }>("key_state");
    while (polling) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      try {
        const now = Date.now();
        if (byPartition) {
          // Kafka Streams with exactly_once_v2: a committed input offset means its output transaction committed.
          for (const [p, c] of await committedOffsets(o.admin, id, input))
            pending.release(String(p), Number(c) - 1, now, record);
        } else {
          for await (const doc of keyState.find({}, { projection: { _offset: 1 } }))
            if (doc._offset != null) pending.release(doc._id, Number(doc._offset), now, record);
        }
        if (measuring) samples.push({ t: (now - productionStart) / 1000, backlog: produced - visible });
      } catch {
        // not there yet
      }
    }
  })();

  let drainSeconds: number | null = null;
  try {
    if (!(await waitForGroup(o.admin, id, 90_000)))
      throw new Error("the engine did not join its group in 90 s");
    await new Promise((r) => setTimeout(r, 1000));
    const warmup = warmupSecondsFor(o.durationSeconds);
    const source = generateValues({ ...o.data, events: Math.ceil(rate * (warmup + o.durationSeconds)) });
    const warmupStart = Date.now();
    const endAt = warmupStart + (warmup + o.durationSeconds) * 1000;
    for (;;) {
      const now = Date.now();
      if (now >= endAt) break;
      if (!measuring && now >= warmupStart + warmup * 1000) {
        productionStart = now;
        warmupRecords = produced;
        measuring = true;
      }
      const due = Math.floor(((now - warmupStart) / 1000) * rate) - produced;
      for (let k = 0; k < due; k++) {
        const next = source.next();
        if (next.done === true) break;
        values.push(next.value.json);
        produced += 1;
        await producer.send(input, next.value.key, Buffer.from(next.value.json), {
          key: next.value.key,
          sentAt: Date.now(),
        });
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    await producer.flush();
    const stopped = Date.now();
    while (visible < produced && Date.now() - stopped < DRAIN_TIMEOUT_MS)
      await new Promise((r) => setTimeout(r, POLL_MS));
    if (visible >= produced) drainSeconds = (Date.now() - endAt) / 1000;
  } catch (e) {
    error = (e as Error).message;
  }
  polling = false;
  await poller;
  await producer.close().catch(() => undefined);
  child.stop();
  const result = await child.done;
  // Stopped by our SIGTERM: the JVM reports 143 (128 + SIGTERM) even after a clean shutdown hook.
  const clean = result.exitCode === 0 || (runner.kind === "reference" && result.exitCode === 143);
  if (!clean && error === undefined)
    error = `exit ${result.exitCode ?? result.signal}: ${result.stderrTail.slice(-300)}`;

  let verified: boolean | null = null;
  let diffs: readonly string[] = [];
  // Results are checked once everything produced is visible; an engine still behind is slow, not wrong.
  if (error === undefined && drainSeconds !== null) {
    try {
      const expected = recomputeExpected(values);
      ({ verified, diffs } =
        runner.kind === "engine"
          ? await verifyMongo(o.mongo, id, expected)
          : await verifyKstreams(o.brokers, output, expected, id));
    } catch (e) {
      verified = false;
      error = `verification failed: ${(e as Error).message}`;
    }
  }
  await o.mongo
    .db(id)
    .dropDatabase()
    .catch(() => undefined);
  await deleteTopics(o.admin, [input, output, `${id}.dlq`, `${id}.late`], [`${id}-`]);
  await o.admin.deleteGroups([id]).catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });

  const verdict = sustainVerdict(samples, rate, o.durationSeconds);
  const pct = (q: number) => (visible === 0 ? null : histogram.getValueAtPercentile(q));
  return {
    runner: runner.name,
    rate,
    achievedRate: (produced - warmupRecords) / o.durationSeconds,
    durationSeconds: o.durationSeconds,
    warmupSeconds: warmupSecondsFor(o.durationSeconds),
    produced,
    visible,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    max: visible === 0 ? null : histogram.maxValue,
    sustained: verdict.sustained && drainSeconds !== null && error === undefined,
    backlogSlope: verdict.slope,
    finalBacklog: verdict.finalBacklog,
    drainSeconds,
    verified,
    diffs,
    ...(error === undefined ? {} : { error }),
  };
}
