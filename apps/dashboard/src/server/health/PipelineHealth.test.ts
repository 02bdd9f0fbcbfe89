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
    expect(ta!.meanLatencySeconds).toBe(3);
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
  });

  it("keeps a bounded history", async () => {
    let time = 0;
    const health = createPipelineHealth({ urls: [], historySize: 3, now: () => (time += 1000) });
    for (let i = 0; i < 5; i++) await health.sample();
    expect((await health.sample()).history.map((p) => p.time)).toEqual([4000, 5000, 6000]);
  });
});
