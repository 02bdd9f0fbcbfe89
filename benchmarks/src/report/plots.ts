import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { RunnerName } from "../run/runners.js";
import type { BenchResults } from "./Results.js";
import { runnerLabel } from "./markdown.js";

/** Renders a Vega-Lite spec to an SVG string, server side (no canvas, no browser). */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Median events/s per runner with a min–max rule. */
export function throughputSpec(r: BenchResults): TopLevelSpec | null {
  if (r.throughput === null) return null;
  const rows = Object.entries(r.throughput.summary)
    .filter(([, s]) => s?.eventsPerSec != null)
    .map(([name, s]) => ({
      runner: runnerLabel(name as RunnerName),
      median: s!.eventsPerSec!.median,
      min: s!.eventsPerSec!.min,
      max: s!.eventsPerSec!.max,
    }))
    .sort((a, b) => b.median - a.median);
  if (rows.length === 0) return null;
  const floor = 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...rows.map((row) => row.min)) / 2)));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Throughput end to end, ${r.dataset?.events.toLocaleString("en-US") ?? "?"} events (median, min–max)`,
    width: 520,
    height: 220,
    background: "white",
    data: { values: rows },
    encoding: { y: { field: "runner", type: "nominal", sort: null, title: null, axis: { labelLimit: 400 } } },
    layer: [
      {
        mark: { type: "bar", color: "#4c78a8" },
        encoding: {
          // Log scale: the ceilings are orders of magnitude above the processors on this machine.
          x: {
            field: "median",
            type: "quantitative",
            title: "events/s (log scale)",
            scale: { type: "log", domainMin: floor },
          },
          x2: { datum: floor },
        },
      },
      {
        mark: { type: "rule", color: "#222" },
        encoding: { x: { field: "min", type: "quantitative" }, x2: { field: "max" } },
      },
      {
        mark: { type: "text", align: "left", dx: 4, color: "#222" },
        encoding: {
          x: { field: "max", type: "quantitative" },
          text: { field: "median", type: "quantitative", format: ",.0f" },
        },
      },
    ],
  };
}

/** p50 / p95 / p99 against the input rate, one colour per runner. */
export function latencySpec(r: BenchResults): TopLevelSpec | null {
  if (r.latency === null || r.latency.runs.length === 0) return null;
  const rows = r.latency.runs.flatMap((l) =>
    (["p50", "p95", "p99"] as const)
      .filter((q) => l[q] !== null)
      .map((q) => ({
        runner: runnerLabel(l.runner),
        rate: l.rate,
        percentile: q,
        ms: l[q],
        sustained: l.sustained,
      })),
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Latency: produce → result visible (ms)",
    width: 520,
    height: 260,
    background: "white",
    data: { values: rows },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "rate", type: "quantitative", title: "input rate (events/s)" },
      y: { field: "ms", type: "quantitative", title: "ms", scale: { type: "log" } },
      color: { field: "runner", type: "nominal", title: null, legend: { labelLimit: 400 } },
      strokeDash: { field: "percentile", type: "nominal" },
      shape: { field: "percentile", type: "nominal" },
    },
  };
}
