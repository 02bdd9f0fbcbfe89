import { createMetrics } from "@gametel/runtime";
import { describe, expect, it } from "vitest";
import { createPipelineHealth } from "./PipelineHealth.js";

/** A fetch that serves each URL's current Prometheus text (from a real runtime registry) or fails. */
function endpoints(texts: Map<string, () => Promise<string>>): typeof fetch {
  return (async (input: string | URL | Request) => {
    const text = texts.get(String(input));
    if (text === undefined) throw new Error("connect ECONNREFUSED");
    return new Response(await text(), { status: 200 });
  }) as typeof fetch;
}

describe("pipeline health", () => {
  it("sums the runtime's metrics per target and computes events/s between samples", async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.recordsConsumed.inc({ topic: "in" }, 100);
    a.recordsValid.inc({ topic: "in" }, 90);
    a.recordsDeadLettered.inc({ topic: "in", reason: "invalid-json" }, 4);
    a.recordsDeadLettered.inc({ topic: "in", reason: "schema" }, 2);
    a.recordsDuplicate.inc({ topic: "in" }, 4);
    a.recordsLate.inc({ topic: "in" }, 3);
    a.recordsMisPartitioned.inc({ topic: "in" }, 2);
    a.recordsEventTimeOutOfRange.inc({ topic: "in" }, 1);
    a.deadLettersTruncated.inc({ topic: "in" }, 1);
    b.recordsMisPartitioned.inc({ topic: "in" }, 5);
    a.consumerLag.set({ topic: "in", partition: "0" }, 7);
    a.consumerLag.set({ topic: "in", partition: "1" }, 5);
    a.endToEndLatency.observe(2);
    a.endToEndLatency.observe(4);
    b.recordsConsumed.inc({ topic: "in" }, 10);
    let time = 1_000_000;
    const health = createPipelineHealth({
      urls: ["http://a/metrics", "http://b/metrics", "http://down/metrics"],
      fetch: endpoints(
        new Map([
          ["http://a/metrics", () => a.registry.metrics()],
          ["http://b/metrics", () => b.registry.metrics()],
        ]),
      ),
      now: () => time,
    });

    expect(health.latest()).toBeNull();
    const first = await health.sample();
    expect(health.latest()).toBe(first);
    const [ta, tb, down] = first.targets;
    expect(ta).toMatchObject({
      up: true,
      consumed: 100,
      valid: 90,
      deadLettered: 6,
      duplicates: 4,
      late: 3,
      lag: 12,
      misPartitioned: 2,
      eventTimeOutOfRange: 1,
      deadLettersTruncated: 1,
    });
    expect(ta!.eventsPerSecond).toBeNull();
    expect(ta!.latency).toBeNull(); // one scrape is no window: the lifetime histogram is not shown
    expect(tb).toMatchObject({ up: true, consumed: 10 });
    expect(down).toMatchObject({ up: false, consumed: 0 });
    expect(down!.error).toMatch(/ECONNREFUSED/);
    expect(first.totals).toMatchObject({
      up: 2,
      consumed: 110,
      deadLettered: 6,
      lag: 12,
      misPartitioned: 7,
      eventTimeOutOfRange: 1,
      deadLettersTruncated: 1,
      eventsPerSecond: null,
    });

    a.recordsConsumed.inc({ topic: "in" }, 50);
    time += 2_000;
    const second = await health.sample();
    expect(second.targets[0]!.eventsPerSecond).toBe(25);
    expect(second.targets[1]!.eventsPerSecond).toBe(0);
    expect(second.totals.eventsPerSecond).toBe(25);
    expect(second.history.map((p) => p.eventsPerSecond)).toEqual([null, 25]);
    expect(second.targets[0]!.latency).toEqual({
      windowSeconds: 2,
      count: 0,
      p50: null,
      p99: null,
      p50Bucket: null,
      p99Bucket: null,
    });
  });

  it("rolls events/s and produce-to-visible p50/p99 over the last minute, not the process's lifetime", async () => {
    const m = createMetrics({ defaultMetrics: false });
    // A backfill of old events: lifetime latencies of an hour.
    for (let i = 0; i < 1000; i++) m.endToEndLatency.observe(3000);
    m.recordsConsumed.inc({ topic: "in" }, 1000);
    let time = 0;
    const health = createPipelineHealth({
      urls: ["http://a/metrics"],
      fetch: endpoints(new Map([["http://a/metrics", () => m.registry.metrics()]])),
      now: () => time,
    });
    await health.sample();
    // Then live traffic: 200 events/s for 30 s, 0.1–0.25 s behind (one at 2 s).
    for (let step = 0; step < 15; step++) {
      time += 2_000;
      m.recordsConsumed.inc({ topic: "in" }, 400);
      for (let i = 0; i < 400; i++) m.endToEndLatency.observe(step === 7 && i === 0 ? 2 : 0.2);
      await health.sample();
    }
    const view = await health.sample();
    const target = view.targets[0]!;
    expect(target.eventsPerSecond).toBeCloseTo((15 * 400) / 30);
    expect(target.latency!.count).toBe(6000);
    expect(target.latency!.windowSeconds).toBe(30);
    // Buckets 0.1 < x <= 0.25: interpolated inside them; nowhere near the hour of the backfill.
    expect(target.latency!.p50).toBeGreaterThan(0.1);
    expect(target.latency!.p50).toBeLessThanOrEqual(0.25);
    expect(target.latency!.p99).toBeLessThanOrEqual(0.25);
    expect(target.latency!.p50Bucket).toEqual([0.1, 0.25]);
    expect(view.totals.latency).toEqual(target.latency);
    // A minute later with nothing new: the window is empty, the rate 0.
    time += 61_000;
    await health.sample();
    time += 2_000;
    const idle = await health.sample();
    expect(idle.targets[0]!.eventsPerSecond).toBe(0);
    expect(idle.targets[0]!.latency).toMatchObject({ count: 0, p50: null, p99: null });
  });

  it("keeps a bounded history", async () => {
    let time = 0;
    const health = createPipelineHealth({ urls: [], historySize: 3, now: () => (time += 1000) });
    for (let i = 0; i < 5; i++) await health.sample();
    expect((await health.sample()).history.map((p) => p.time)).toEqual([4000, 5000, 6000]);
  });
});
