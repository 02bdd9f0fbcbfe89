/**
 * Event-time windows: tumbling or hopping, aligned to the Unix epoch, closed by a caller-advanced watermark
 * after a grace period.
 *
 * - A window is `[start, end)` in epoch ms; `start` is a multiple of `advanceMs`; `end = start + sizeMs`.
 * - An event belongs to every window with `start <= event_time < end` (one for tumbling windows).
 * - A window is closed once `watermark >= end + graceMs`; a runtime drops (or dead-letters as late) events
 *   for closed windows and may emit the window's final result. The watermark comes from the caller (e.g. the
 *   maximum event time seen for the key); this module never reads a clock.
 *
 * @module Window
 */
import type { Reducer } from "./Reducer.js";

/**
 * Default window size: 5 minutes.
 *
 * @example
 * import { DEFAULT_WINDOW_SIZE_MS, tumblingWindow } from "@gametel/core";
 * tumblingWindow(DEFAULT_WINDOW_SIZE_MS);
 */
export const DEFAULT_WINDOW_SIZE_MS = 300_000;
/**
 * Default grace period after a window's end: 60 seconds.
 *
 * @example
 * import { DEFAULT_GRACE_MS, tumblingWindow } from "@gametel/core";
 * tumblingWindow(60_000, { graceMs: DEFAULT_GRACE_MS });
 */
export const DEFAULT_GRACE_MS = 60_000;

/**
 * Window shape. Tumbling when `advanceMs === sizeMs`, hopping when smaller.
 *
 * @example
 * import { tumblingWindow, type WindowSpec } from "@gametel/core";
 * const spec: WindowSpec = tumblingWindow(); // { sizeMs: 300000, advanceMs: 300000, graceMs: 60000 }
 */
export interface WindowSpec {
  readonly sizeMs: number;
  readonly advanceMs: number;
  readonly graceMs: number;
}

/**
 * One window, `[start, end)` in epoch milliseconds.
 *
 * @example
 * import { windowsFor, tumblingWindow, type Window } from "@gametel/core";
 * const [w]: Window[] = windowsFor(1_000_000, tumblingWindow(60_000)); // { start: 960000, end: 1020000 }
 */
export interface Window {
  readonly start: number;
  readonly end: number;
}

const positiveInt = (name: string, v: number): void => {
  if (!Number.isSafeInteger(v) || v <= 0)
    throw new RangeError(`${name} must be a positive integer of milliseconds, got ${v}`);
};

/**
 * Validates and builds a window spec.
 *
 * @throws {RangeError} when a value is not an integer, `sizeMs`/`advanceMs` are not positive, `advanceMs >
 * sizeMs`, or `graceMs < 0`.
 * @example
 * import { windowSpec } from "@gametel/core";
 * const tenMinutesEveryMinute = windowSpec({ sizeMs: 600_000, advanceMs: 60_000 });
 */
export const windowSpec = (options: { sizeMs: number; advanceMs?: number; graceMs?: number }): WindowSpec => {
  const sizeMs = options.sizeMs;
  const advanceMs = options.advanceMs ?? sizeMs;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  positiveInt("sizeMs", sizeMs);
  positiveInt("advanceMs", advanceMs);
  if (advanceMs > sizeMs) throw new RangeError(`advanceMs (${advanceMs}) must not exceed sizeMs (${sizeMs})`);
  if (!Number.isSafeInteger(graceMs) || graceMs < 0)
    throw new RangeError(`graceMs must be an integer >= 0, got ${graceMs}`);
  return { sizeMs, advanceMs, graceMs };
};

/**
 * Tumbling windows of `sizeMs` (default 5 minutes) with a grace period (default 60 s).
 *
 * @example
 * import { tumblingWindow } from "@gametel/core";
 * tumblingWindow(60_000, { graceMs: 10_000 });
 */
export const tumblingWindow = (
  sizeMs: number = DEFAULT_WINDOW_SIZE_MS,
  options: { graceMs?: number } = {},
): WindowSpec => windowSpec({ sizeMs, advanceMs: sizeMs, ...options });

/**
 * Hopping windows of `sizeMs` starting every `advanceMs`.
 *
 * @example
 * import { hoppingWindow, windowsFor } from "@gametel/core";
 * windowsFor(90_000, hoppingWindow(60_000, 30_000)).length; // 2
 */
export const hoppingWindow = (
  sizeMs: number,
  advanceMs: number,
  options: { graceMs?: number } = {},
): WindowSpec => windowSpec({ sizeMs, advanceMs, ...options });

/**
 * The windows containing `eventTime`, by ascending start.
 *
 * @example
 * import { tumblingWindow, windowsFor } from "@gametel/core";
 * windowsFor(299_999, tumblingWindow()); // [{ start: 0, end: 300000 }]
 */
export const windowsFor = (eventTime: number, spec: WindowSpec): Window[] =>
  windowsOverlapping(eventTime, eventTime, spec);

/**
 * The windows that intersect the closed interval `[from, to]`, by ascending start.
 *
 * @example
 * import { tumblingWindow, windowsOverlapping } from "@gametel/core";
 * windowsOverlapping(250_000, 350_000, tumblingWindow()).length; // 2
 */
export const windowsOverlapping = (from: number, to: number, spec: WindowSpec): Window[] => {
  const { sizeMs, advanceMs } = spec;
  const last = Math.floor(to / advanceMs) * advanceMs;
  const out: Window[] = [];
  // First start s with s + size > from.
  let start = Math.floor((from - sizeMs) / advanceMs) * advanceMs + advanceMs;
  for (; start <= last; start += advanceMs) out.push({ start, end: start + sizeMs });
  return out;
};

/**
 * The single window of a tumbling spec containing `eventTime`.
 *
 * @example
 * import { tumblingWindow, windowFor } from "@gametel/core";
 * windowFor(301_000, tumblingWindow()); // { start: 300000, end: 600000 }
 */
export const windowFor = (eventTime: number, spec: WindowSpec): Window => {
  const start = Math.floor(eventTime / spec.advanceMs) * spec.advanceMs;
  return { start, end: start + spec.sizeMs };
};

/**
 * True once the window accepts no more events: `watermark >= windowEnd + graceMs`.
 *
 * @example
 * import { isWindowClosed, tumblingWindow } from "@gametel/core";
 * isWindowClosed(300_000, 360_000, tumblingWindow()); // true (300000 + 60000 <= 360000)
 */
export const isWindowClosed = (windowEnd: number, watermark: number, spec: WindowSpec): boolean =>
  watermark >= windowEnd + spec.graceMs;

/**
 * A reducer applied per window. `windowsOf(event)` lists the windows an event goes into (its own, and for
 * some reducers later ones it is context for); `reduce(state, event, window)` folds it into that window's
 * state (mutating, like `Reducer.reduce`). `reducer` gives `init`, `merge`, `result` and `codec` of a window
 * state. The caller keeps one state per (key, window) and skips windows that `isWindowClosed`.
 *
 * @example
 * import { isWindowClosed, type WindowedReducer } from "@gametel/core";
 * function apply<S, E, R>(w: WindowedReducer<S, E, R>, states: Map<number, S>, e: E, watermark: number) {
 *   for (const win of w.windowsOf(e)) {
 *     if (isWindowClosed(win.end, watermark, w.spec)) continue;
 *     states.set(win.start, w.reduce(states.get(win.start) ?? w.reducer.init(), e, win));
 *   }
 * }
 */
export interface WindowedReducer<S, E, R> {
  readonly spec: WindowSpec;
  readonly reducer: Reducer<S, E, R>;
  windowsOf(event: E): ReadonlyArray<Window>;
  reduce(state: S, event: E, window: Window): S;
}

/**
 * Windows a reducer by each event's time (default `event_time`): every event goes into the windows that
 * contain its time.
 *
 * @example
 * import { serverPerfReducer, tumblingWindow, windowedReducer } from "@gametel/core";
 * const perf5m = windowedReducer(serverPerfReducer, tumblingWindow());
 */
export const windowedReducer = <S, E extends { readonly event_time: number }, R>(
  reducer: Reducer<S, E, R>,
  spec: WindowSpec,
): WindowedReducer<S, E, R> => ({
  spec,
  reducer,
  windowsOf: (event) =>
    spec.advanceMs === spec.sizeMs ? [windowFor(event.event_time, spec)] : windowsFor(event.event_time, spec),
  reduce: (state, event) => reducer.reduce(state, event),
});

/**
 * Folds one event into per-window states held in a `Map` keyed by window start, skipping closed windows.
 * Returns the windows updated and the windows the event was late for.
 *
 * @example
 * import { reduceIntoWindows, serverPerfReducer, tumblingWindow, windowedReducer } from "@gametel/core";
 * const w = windowedReducer(serverPerfReducer, tumblingWindow());
 * const states = new Map();
 * const { late } = reduceIntoWindows(w, states, event, watermark);
 */
export const reduceIntoWindows = <S, E, R>(
  windowed: WindowedReducer<S, E, R>,
  states: Map<number, S>,
  event: E,
  watermark: number,
): { readonly updated: Window[]; readonly late: Window[] } => {
  const updated: Window[] = [];
  const late: Window[] = [];
  for (const w of windowed.windowsOf(event)) {
    if (isWindowClosed(w.end, watermark, windowed.spec)) {
      late.push(w);
      continue;
    }
    states.set(w.start, windowed.reduce(states.get(w.start) ?? windowed.reducer.init(), event, w));
    updated.push(w);
  }
  return { updated, late };
};

/**
 * Removes the closed windows from `states` and returns their results, by ascending start.
 *
 * @example
 * import { closeWindows } from "@gametel/core";
 * for (const { window, result } of closeWindows(w, states, watermark)) emit(window, result);
 */
export const closeWindows = <S, E, R>(
  windowed: WindowedReducer<S, E, R>,
  states: Map<number, S>,
  watermark: number,
): Array<{ readonly window: Window; readonly result: R }> => {
  const out: Array<{ window: Window; result: R }> = [];
  for (const [start, state] of states) {
    const window = { start, end: start + windowed.spec.sizeMs };
    if (isWindowClosed(window.end, watermark, windowed.spec)) {
      out.push({ window, result: windowed.reducer.result(state) });
      states.delete(start);
    }
  }
  return out.sort((a, b) => a.window.start - b.window.start);
};
