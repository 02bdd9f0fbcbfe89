import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TelemetryEvent } from "./Event.js";
import { playerStatsReducer, windowedPlayerStats } from "./PlayerStats.js";
import { death, kill, permute, playerEventsArb, spawn } from "./testing/events.js";
import { referencePlayerStats } from "./testing/reference.js";
import {
  closeWindows,
  hoppingWindow,
  isWindowClosed,
  reduceIntoWindows,
  tumblingWindow,
  windowFor,
  windowsFor,
  windowSpec,
  type Window,
} from "./Window.js";

describe("window assignment", () => {
  it.each([
    [0, [0]],
    [299_999, [0]],
    [300_000, [300_000]],
    [1_732_760_123_456, [1_732_760_100_000]],
  ])("tumbling 5 min: %d → %j", (t, starts) => {
    expect(windowsFor(t, tumblingWindow()).map((w) => w.start)).toEqual(starts);
    expect(windowFor(t, tumblingWindow()).start).toBe(starts[0]);
  });

  it.each([
    [90_000, [60_000, 90_000]],
    [59_999, [0, 30_000]],
    [10, [-30_000, 0]],
  ])("hopping 60 s every 30 s: %d → %j", (t, starts) => {
    expect(windowsFor(t, hoppingWindow(60_000, 30_000)).map((w) => w.start)).toEqual(starts);
  });

  it("every window returned contains the time, and no other window does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 13 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 20 }),
        (t, sizeMs, perSize) => {
          const spec = windowSpec({ sizeMs, advanceMs: Math.ceil(sizeMs / perSize) });
          const ws = windowsFor(t, spec);
          expect(ws.length).toBeGreaterThan(0);
          for (const w of ws) expect(w.start <= t && t < w.end && w.start % spec.advanceMs === 0).toBe(true);
          expect(ws[0]!.start - spec.advanceMs + spec.sizeMs).toBeLessThanOrEqual(t);
          expect(ws[ws.length - 1]!.start + spec.advanceMs).toBeGreaterThan(t);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("closes a window at end + grace, measured by the caller's watermark", () => {
    const spec = tumblingWindow(300_000, { graceMs: 60_000 });
    expect(isWindowClosed(300_000, 359_999, spec)).toBe(false);
    expect(isWindowClosed(300_000, 360_000, spec)).toBe(true);
  });

  it.each([
    [{ sizeMs: 0 }, "sizeMs"],
    [{ sizeMs: 10, advanceMs: 20 }, "advanceMs"],
    [{ sizeMs: 10, graceMs: -1 }, "graceMs"],
    [{ sizeMs: 1.5 }, "sizeMs"],
  ])("refuses bad specs at once: %j", (options, word) => {
    expect(() => windowSpec(options)).toThrow(word);
  });
});

const WINDOW = 600_000;
const within = (w: Window, t: number) => w.start <= t && t < w.end;

/** The written windowed definition, recomputed per window from all events. */
const referenceWindowed = (events: ReadonlyArray<TelemetryEvent>, w: Window, horizon: number) =>
  referencePlayerStats(events, {
    counted: (e) => within(w, e.event_time),
    // the spawns assigned to the window: its own and those carried into it
    spawnCounts: (s) => w.start <= s + horizon && w.end > s,
    lifeCounts: (_s, d) => within(w, d),
  });

describe("windowed PlayerStats", () => {
  it("counts a life in the window of its death, even when the spawn arrives later", () => {
    const w = windowedPlayerStats(tumblingWindow(WINDOW));
    const states = new Map();
    for (const e of [death(1, WINDOW + 5_000, "m1", 1), spawn(2, WINDOW - 5_000, "m1", 1)])
      reduceIntoWindows(w, states, e, 0);
    const deathWindow = playerStatsReducer.result(states.get(WINDOW));
    const spawnWindow = playerStatsReducer.result(states.get(0));
    expect(deathWindow).toMatchObject({ deaths: 1, lives_completed: 1, avg_survival_ms: 10_000, matches: 0 });
    expect(spawnWindow).toMatchObject({ deaths: 0, lives_completed: 0, matches: 1 });
  });

  it("drops events for closed windows and reports them late", () => {
    const w = windowedPlayerStats(tumblingWindow(WINDOW, { graceMs: 1_000 }));
    const states = new Map();
    const { late } = reduceIntoWindows(w, states, kill(1, 10, "m1", false), WINDOW + 1_000);
    expect(late).toEqual([{ start: 0, end: WINDOW }]);
    expect(states.size).toBe(0);
  });

  it("per-window results equal the windowed definition, in any arrival order", () => {
    fc.assert(
      fc.property(
        playerEventsArb(),
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(0, 120_000, WINDOW),
        (events, keys, horizon) => {
          const w = windowedPlayerStats(tumblingWindow(WINDOW), { lifeHorizonMs: horizon });
          const states = new Map();
          for (const e of permute(events, keys)) reduceIntoWindows(w, states, e, -Infinity);
          const closed = closeWindows(w, states, Infinity);
          expect(states.size).toBe(0);
          for (const { window, result } of closed)
            expect(result).toEqual(referenceWindowed(events, window, horizon));
          // Every window with an own event is present.
          const starts = new Set(closed.map((c) => c.window.start));
          for (const e of events) expect(starts.has(windowFor(e.event_time, w.spec).start)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
