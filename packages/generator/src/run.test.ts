import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { GeneratedRecord } from "./Generator.js";
import { createGenerator } from "./Generator.js";
import { runGenerator } from "./run.js";
import type { Sink } from "./sinks/Sink.js";

interface MemorySink extends Sink {
  readonly written: { record: GeneratedRecord; at: number }[];
  closed: boolean;
}

const memorySink = (slowEvery = 0): MemorySink => {
  let waiting = false;
  const sink: MemorySink = {
    target: "memory",
    written: [],
    closed: false,
    write(record) {
      if (waiting) throw new Error("written while the sink asked to wait");
      sink.written.push({ record, at: Date.now() });
      if (slowEvery > 0 && sink.written.length % slowEvery === 0) {
        waiting = true;
        return sleep(2).then(() => {
          waiting = false;
        });
      }
      return undefined;
    },
    async close() {
      sink.closed = true;
    },
  };
  return sink;
};

describe("runGenerator", () => {
  it("writes every record, honours backpressure and closes the sink", async () => {
    const sink = memorySink(50);
    const generator = createGenerator({ seed: 1, maxRecords: 1000, duplicates: 0.05 });
    const result = await runGenerator({ generator, sink, rate: 0 });
    expect(sink.written).toHaveLength(1000);
    expect(sink.closed).toBe(true);
    expect(result.summary).toEqual(generator.summary());
    expect(result.stopped_by).toBe("done");
  });

  it("stops on the signal, still writing what was held back", async () => {
    const sink = memorySink();
    const generator = createGenerator({ seed: 2, late: 0.2, outOfOrder: 0.2 });
    const stop = new AbortController();
    const running = runGenerator({ generator, sink, rate: 5000, signal: stop.signal });
    await sleep(300);
    stop.abort();
    const result = await running;
    expect(result.stopped_by).toBe("signal");
    expect(sink.closed).toBe(true);
    expect(result.summary.valid_distinct).toBe(result.summary.generated);
    expect(sink.written).toHaveLength(result.summary.total_records);
    expect(sink.written.length).toBeGreaterThan(100);
  });

  it("stops after the duration", async () => {
    const sink = memorySink();
    const started = Date.now();
    const result = await runGenerator({
      generator: createGenerator({ seed: 3 }),
      sink,
      rate: 1000,
      durationMs: 300,
    });
    expect(result.stopped_by).toBe("duration");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sink.written.length).toBeGreaterThan(0);
  });

  it("in live mode writes no record before its event time", async () => {
    const sink = memorySink();
    const startTime = Date.now() - 3000;
    await runGenerator({
      generator: createGenerator({ seed: 4, startTime, players: 20, matches: 2 }),
      sink,
      rate: 0,
      realtime: true,
      durationMs: 1500,
    });
    const early = sink.written.filter(({ record, at }) => at < record.eventTime);
    expect(early).toEqual([]);
    expect(sink.written.some(({ record }) => record.eventTime > startTime + 3500)).toBe(true);
  });
});
