import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reduceAll, StateCodecError } from "./Reducer.js";
import { SERVER_PERF_RELATIVE_ACCURACY, serverPerfReducer as r, type ServerPerfState } from "./ServerPerf.js";
import { perf } from "./testing/events.js";

const exactQuantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
};

const nearOne = fc.constantFrom(0.9801980198019803, 0.99, 1, 1.0000000000000002, 1.01, 1.03);

const samplesArb = fc.array(
  fc.record({
    // values next to 1 fall in the sketch's key 0 and 1 (a case the library's own merge got wrong)
    ping: fc.option(fc.oneof(fc.constant(0), nearOne, fc.double({ min: 0.01, max: 5_000, noNaN: true })), {
      nil: undefined,
    }),
    fps: fc.option(fc.double({ min: 1, max: 1_000, noNaN: true }), { nil: undefined }),
  }),
  { minLength: 1, maxLength: 300 },
);

const toEvents = (samples: Array<{ ping: number | undefined; fps: number | undefined }>) =>
  samples.map((s, i) =>
    perf(i, i, {
      ...(s.ping === undefined ? {} : { ping_ms: s.ping }),
      ...(s.fps === undefined ? { packet_loss: 0 } : { fps: s.fps }),
    }),
  );

describe("ServerPerf", () => {
  it("reports count, exact min/max and quantiles within 1% of the exact order statistic", () => {
    expect(SERVER_PERF_RELATIVE_ACCURACY).toBe(0.01);
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const result = r.result(reduceAll(r, toEvents(samples)));
        expect(result.count).toBe(samples.length);
        const pings = samples.map((s) => s.ping).filter((p): p is number => p !== undefined);
        if (pings.length === 0) {
          expect(result.ping_ms).toBeNull();
          return;
        }
        expect(result.ping_ms).toMatchObject({
          count: pings.length,
          min: Math.min(...pings),
          max: Math.max(...pings),
        });
        for (const [q, key] of [
          [0.01, "p1"],
          [0.05, "p5"],
          [0.5, "p50"],
          [0.95, "p95"],
          [0.99, "p99"],
        ] as const) {
          const exact = exactQuantile(pings, q);
          expect(Math.abs(result.ping_ms![key] - exact)).toBeLessThanOrEqual(0.01 * exact + 1e-12);
        }
        expect(result.frame_time_ms).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("merges partial states exactly in any grouping; codec round-trips", () => {
    fc.assert(
      fc.property(
        samplesArb,
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 300, maxLength: 300 }),
        (samples, parts) => {
          const events = toEvents(samples);
          const whole = r.result(reduceAll(r, events));
          const [a, b, c] = [0, 1, 2].map((p) =>
            reduceAll(
              r,
              events.filter((_, i) => parts[i] === p),
            ),
          ) as [ServerPerfState, ServerPerfState, ServerPerfState];
          expect(r.result(r.merge(r.merge(a, b), c))).toEqual(whole);
          expect(r.result(r.merge(c, r.merge(b, a)))).toEqual(whole);
          const restored = r.codec.decode(JSON.parse(JSON.stringify(r.codec.encode(a))));
          expect(r.result(restored)).toEqual(r.result(a));
          expect(r.result(r.merge(restored, b))).toEqual(r.result(r.merge(a, b)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("merges a part whose largest sketch key is 0 without losing it (sketches-js DenseStore.merge case)", () => {
    // a: {0.99/1.01 (key 0), 0.01}, b: {0.01}, c: {1.0000000000000002 (key 1)}; seed 84602787 found it
    const ev = (i: number, ping: number) => perf(i, i, { ping_ms: ping });
    const [a, b, c] = [
      reduceAll(r, [ev(0, 0.9801980198019803), ev(1, 0.01)]),
      reduceAll(r, [ev(2, 0.01)]),
      reduceAll(r, [ev(3, 1.0000000000000002)]),
    ] as const;
    const whole = r.result(
      reduceAll(r, [ev(0, 0.9801980198019803), ev(1, 0.01), ev(2, 0.01), ev(3, 1.0000000000000002)]),
    );
    // the third smallest of the four is 0.9801980198019803 (the sketch key 0): p95 lies within 1% of it, not at 1.0000000000000002
    expect(Math.abs(whole.ping_ms!.p95 - 0.9801980198019803)).toBeLessThanOrEqual(
      0.01 * 0.9801980198019803 + 1e-12,
    );
    expect(r.result(r.merge(c, r.merge(b, a)))).toEqual(whole);
    expect(r.result(r.merge(r.merge(a, b), c))).toEqual(whole);
  });

  it("rejects sketches with absurd keys (memory guard)", () => {
    const json = r.codec.encode(r.init()) as Record<string, unknown>;
    const bad = { ...json, fps: { zero: 0, min: 1, max: 1, bins: [[10 ** 9, 1]] } };
    expect(() => r.codec.decode(bad as never)).toThrow(StateCodecError);
  });
});
