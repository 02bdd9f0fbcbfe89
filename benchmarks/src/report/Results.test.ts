import { describe, expect, it } from "vitest";
import type { LatencyRun } from "../scenarios/latency.js";
import type { ThroughputRun } from "../scenarios/throughput.js";
import {
  MIN_EVENTS_FOR_VERDICTS,
  highestSustained,
  ratiosOf,
  summarizeRuns,
  targetsOf,
  verdictsWithheld,
} from "./Results.js";

const run = (
  runner: ThroughputRun["runner"],
  rep: number,
  eventsPerSec: number,
  ok = true,
): ThroughputRun => ({
  runner,
  kind: runner.endsWith("ceiling") ? "ceiling" : runner === "kstreams" ? "reference" : "engine",
  rep,
  ok,
  verified: runner.endsWith("ceiling") ? null : ok,
  diffs: [],
  exitCode: 0,
  events: 1000,
  eventsPerSec,
  mbPerSec: eventsPerSec / 1000,
  wallSeconds: 1,
  eventsPerSecInclStartup: 1000,
  startupSeconds: 0.5,
  cpuSeconds: 2,
  cpuSecondsPerMillion: 2000,
  peakRssMb: 100,
  serviceCpuSeconds: { kafka: 1, mongo: 2 },
});

describe("summarizeRuns", () => {
  it("takes medians over measured, successful runs only", () => {
    const s = summarizeRuns([
      run("kafkajs", -1, 1), // warm-up
      run("kafkajs", 0, 10),
      run("kafkajs", 1, 30),
      run("kafkajs", 2, 20),
      run("kafkajs", 3, 1000, false), // wrong results: not in the figures
    ]);
    expect(s.kafkajs).toMatchObject({
      runs: 4,
      ok: 3,
      verifiedAll: false,
      eventsPerSec: { median: 20, min: 10, max: 30 },
    });
  });
});

describe("ratios and targets", () => {
  it("relates the engines to each other, their ceilings and Kafka Streams", () => {
    const s = summarizeRuns([
      run("kafkajs", 0, 100),
      run("rdkafka", 0, 200),
      run("kafkajs-ceiling", 0, 400),
      run("rdkafka-ceiling", 0, 250),
      run("kstreams", 0, 250),
    ]);
    const ratios = ratiosOf(s);
    expect(ratios).toEqual({
      "rdkafka / kafkajs": 2,
      "kafkajs / kafkajs ceiling": 0.25,
      "rdkafka / rdkafka ceiling": 0.8,
      "kafkajs / Kafka Streams": 0.4,
      "rdkafka / Kafka Streams": 0.8,
    });
    const met = targetsOf(ratios, null).map((t) => t.met);
    expect(met).toEqual([true, false, true, false, null, null, null, null, null, null, null]);
  });

  it("judges the processor targets on the worse engine, ceilings as ceilings, p99 at the highest sustained rate", () => {
    const engine = (runner: "kafkajs" | "rdkafka", cpu: number, writes: number, bytes: number) => ({
      ...run(runner, 0, 100),
      cpuSecondsPerMillion: cpu,
      store: { writesPerEvent: writes, documentsPerEvent: 0.1, bytesPerEvent: bytes, cpuMicrosPerEvent: 1 },
    });
    const summary = summarizeRuns([
      engine("kafkajs", 40, 0.002, 80),
      engine("rdkafka", 60, 0.003, 120),
      { ...run("kstreams", 0, 100), cpuSecondsPerMillion: 100 },
    ]);
    const latency = [
      { ...latencyRun("kafkajs", 5000, true), p99: 1500 },
      { ...latencyRun("kafkajs", 20000, false), p99: 90_000 },
      { ...latencyRun("rdkafka", 5000, true), p99: 2500 },
    ];
    const targets = targetsOf(ratiosOf(summary), null, null, null, { summary, latency });
    const byName = (part: string) => targets.find((t) => t.name.includes(part));
    expect(byName("CPU per event")).toMatchObject({ measured: 0.6, met: false, atMost: true });
    expect(byName("bulk writes")).toMatchObject({ measured: 0.003, met: true });
    expect(byName("bytes written")).toMatchObject({ measured: 120, met: false });
    expect(byName("kafkajs engine p99")).toMatchObject({ measured: 1500, met: true });
    expect(byName("node-rdkafka engine p99")).toMatchObject({ measured: 2500, met: false });
  });
});

describe("verdictsWithheld", () => {
  it.each([
    ["quick", 10_000, /--quick is a smoke run \(10,000 events.*start-up and JIT warm-up/],
    ["quick", 5_000_000, /--quick is a smoke run/],
    ["custom", MIN_EVENTS_FOR_VERDICTS - 1, /499,999 events is below the 500,000/],
    ["custom", 200_000, /200,000 events is below/],
  ])("%s run of %d events: withheld", (profile, events, reason) =>
    expect(verdictsWithheld({ profile, events })).toMatch(reason),
  );
  it.each([
    ["full", 2_000_000],
    ["custom", MIN_EVENTS_FOR_VERDICTS],
  ])("%s run of %d events: judged", (profile, events) =>
    expect(verdictsWithheld({ profile, events })).toBeNull(),
  );
  it("leaves every target's measurement but no verdict when withheld", () => {
    const ratios = ratiosOf(
      summarizeRuns([run("kafkajs", 0, 100), run("rdkafka", 0, 200), run("kstreams", 0, 150)]),
    );
    const judged = targetsOf(ratios, null);
    const withheld = targetsOf(ratios, null, null, "too short");
    expect(judged.find((t) => t.name.includes("Kafka Streams"))?.met).toBe(true);
    expect(withheld.map((t) => t.measured)).toEqual(judged.map((t) => t.measured));
    expect(withheld.every((t) => t.met === null)).toBe(true);
  });
});

const latencyRun = (runner: LatencyRun["runner"], rate: number, sustained: boolean): LatencyRun => ({
  runner,
  rate,
  achievedRate: rate,
  durationSeconds: 10,
  warmupSeconds: 2,
  produced: rate * 10,
  visible: rate * 10,
  p50: 1,
  p95: 2,
  p99: 3,
  max: 4,
  sustained,
  backlogSlope: 0,
  finalBacklog: 0,
  drainSeconds: 1,
  verified: true,
  diffs: [],
});

describe("highestSustained", () => {
  const lat = latencyRun;
  it("is the highest sustained rate, or null", () => {
    expect(
      highestSustained([
        lat("kafkajs", 1000, true),
        lat("kafkajs", 5000, false),
        lat("rdkafka", 1000, false),
        lat("rdkafka", 5000, true),
      ]),
    ).toEqual({ kafkajs: 1000, rdkafka: 5000 });
    expect(highestSustained([lat("kstreams", 1000, false)])).toEqual({ kstreams: null });
  });
});
