/**
 * `ServerPerf`: per (`game_id`, `server_id`) and window, the number of `perf_sample` events and, for each of
 * `ping_ms`, `fps` and `frame_time_ms`, the count, min, max and p1/p5/p50/p95/p99 of the samples carrying it.
 *
 * Quantiles come from a DDSketch (@datadog/sketches-js) with relative accuracy 1%: for n samples of a
 * metric sorted ascending as x[0..n-1], the reported pq is within 1% of x[⌊q·(n−1)⌋] (|pq − x| ≤ 0.01·x;
 * 0 exactly when that sample is 0). `min`/`max` are exact. Sketches merge by adding bins, so partial states
 * from different partitions merge exactly, in any order.
 *
 * @module ServerPerf
 */
import type { TelemetryEvent } from "./Event.js";
import { count, field, obj, version } from "./internal/json.js";
import {
  accept,
  decodeSketch,
  encodeSketch,
  mergeSketches,
  newSketch,
  quantile,
  type QuantileSketch,
} from "./internal/sketch.js";
import type { JsonValue, Reducer, StateCodec } from "./Reducer.js";
import type { ResultFieldsOf } from "./ResultFields.js";

export { RELATIVE_ACCURACY as SERVER_PERF_RELATIVE_ACCURACY } from "./internal/sketch.js";

/**
 * Distribution summary of one metric: `count` samples, exact `min`/`max`, sketch quantiles. The low quantiles
 * (`p1`, `p5`) are the bad tail of metrics where low is bad (fps); the high ones that of ping and frame time.
 *
 * @example
 * import type { MetricSummary } from "@gametel/core";
 * const slow = (m: MetricSummary) => m.p95 > 100;
 */
export interface MetricSummary {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly p1: number;
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

const quantileField = (q: string) => ({
  kind: "number" as const,
  nullable: false,
  description: `${q} quantile of the samples (DDSketch, within 1% of the sample at rank floor(q·(n−1))).`,
});

/**
 * Every field of `MetricSummary` with its kind and definition.
 *
 * @example
 * import { fieldNames, METRIC_SUMMARY_FIELDS } from "@gametel/core";
 * fieldNames(METRIC_SUMMARY_FIELDS); // ["count", "min", "max", "p1", "p5", "p50", "p95", "p99"]
 */
export const METRIC_SUMMARY_FIELDS: ResultFieldsOf<MetricSummary> = {
  count: { kind: "count", nullable: false, description: "Samples carrying the metric." },
  min: { kind: "number", nullable: false, description: "Smallest sample (exact)." },
  max: { kind: "number", nullable: false, description: "Largest sample (exact)." },
  p1: quantileField("1%"),
  p5: quantileField("5%"),
  p50: quantileField("50%"),
  p95: quantileField("95%"),
  p99: quantileField("99%"),
};

/**
 * The insight for one server (usually per window). A metric is null when no sample in the state carries it.
 *
 * @example
 * import type { ServerPerf } from "@gametel/core";
 * const label = (s: ServerPerf) => `${s.count} samples, ping p99 ${s.ping_ms?.p99 ?? "n/a"}`;
 */
export interface ServerPerf {
  readonly count: number;
  readonly ping_ms: MetricSummary | null;
  readonly fps: MetricSummary | null;
  readonly frame_time_ms: MetricSummary | null;
}

/**
 * Fold state of `ServerPerf` (opaque: use `serverPerfReducer`).
 *
 * @example
 * import { serverPerfReducer, type ServerPerfState } from "@gametel/core";
 * const s: ServerPerfState = serverPerfReducer.init();
 */
export interface ServerPerfState {
  count: number;
  readonly ping: QuantileSketch;
  readonly fps: QuantileSketch;
  readonly frameTime: QuantileSketch;
}

const init = (): ServerPerfState => ({
  count: 0,
  ping: newSketch(),
  fps: newSketch(),
  frameTime: newSketch(),
});

const reduce = (s: ServerPerfState, e: TelemetryEvent): ServerPerfState => {
  if (e.event_type !== "perf_sample") return s;
  s.count++;
  const d = e.data;
  if (d.ping_ms !== undefined) accept(s.ping, d.ping_ms);
  if (d.fps !== undefined) accept(s.fps, d.fps);
  if (d.frame_time_ms !== undefined) accept(s.frameTime, d.frame_time_ms);
  return s;
};

const merge = (a: ServerPerfState, b: ServerPerfState): ServerPerfState => ({
  count: a.count + b.count,
  ping: mergeSketches(a.ping, b.ping),
  fps: mergeSketches(a.fps, b.fps),
  frameTime: mergeSketches(a.frameTime, b.frameTime),
});

const summary = (s: QuantileSketch): MetricSummary | null =>
  s.count === 0
    ? null
    : {
        count: s.count,
        min: s.min,
        max: s.max,
        p1: quantile(s, 0.01),
        p5: quantile(s, 0.05),
        p50: quantile(s, 0.5),
        p95: quantile(s, 0.95),
        p99: quantile(s, 0.99),
      };

const result = (s: ServerPerfState): ServerPerf => ({
  count: s.count,
  ping_ms: summary(s.ping),
  fps: summary(s.fps),
  frame_time_ms: summary(s.frameTime),
});

const encode = (s: ServerPerfState): JsonValue => ({
  v: 1,
  count: s.count,
  ping_ms: encodeSketch(s.ping),
  fps: encodeSketch(s.fps),
  frame_time_ms: encodeSketch(s.frameTime),
});

const decode = (json: JsonValue): ServerPerfState => {
  const o = obj(json, "");
  version(o, "", 1);
  return {
    count: field(o, "count", "", count),
    ping: decodeSketch(o["ping_ms"], "ping_ms"),
    fps: decodeSketch(o["fps"], "fps"),
    frameTime: decodeSketch(o["frame_time_ms"], "frame_time_ms"),
  };
};

/**
 * JSON codec of `ServerPerfState`: each sketch as `{ zero, min, max, bins: [[key, count]...] }`.
 *
 * @example
 * import { serverPerfCodec, serverPerfReducer } from "@gametel/core";
 * serverPerfCodec.decode(serverPerfCodec.encode(serverPerfReducer.init()));
 */
export const serverPerfCodec: StateCodec<ServerPerfState> = { encode, decode };

/**
 * The `ServerPerf` reducer (ignores every event but `perf_sample`). Window it with `windowedReducer`.
 *
 * @example
 * import { serverPerfReducer, tumblingWindow, windowedReducer } from "@gametel/core";
 * const perInFiveMinutes = windowedReducer(serverPerfReducer, tumblingWindow());
 */
export const serverPerfReducer: Reducer<ServerPerfState, TelemetryEvent, ServerPerf> = {
  init,
  reduce,
  merge,
  result,
  codec: serverPerfCodec,
};
