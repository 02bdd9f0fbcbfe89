import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { h } from "./dom.ts";
import { fmtClock, fmtClockSeconds, fmtTime, fmtWindow, timeZone } from "./format.ts";

export interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

/** One tumbling window of a per-window chart; `partial` while it is still open. */
export interface WindowSlot {
  readonly start: number;
  readonly end: number;
  readonly partial: boolean;
}

export interface Chart<X> {
  readonly element: HTMLElement;
  update(x: readonly X[], series: readonly SeriesSpec[]): void;
  destroy(): void;
}

const HEIGHT = 220;

/** Time axis in the browser's zone (named in the label), ticks as HH:mm (HH:mm:ss when they are closer). */
const timeAxis = (incrs?: number[]): uPlot.Axis => ({
  label: `time (${timeZone()})`,
  values: (_u, splits, _axis, _space, incr) =>
    splits.map((s) => (incr < 60 ? fmtClockSeconds(s * 1000) : fmtClock(s * 1000))),
  space: 60,
  ...(incrs === undefined ? {} : { incrs }),
});

/**
 * Keeps the legend on `idx()` while the cursor is off the chart, so it reads values without hovering (uPlot shows
 * "--" there by default).
 */
const pinLegend = (idx: (u: uPlot) => number | null): uPlot.Hooks.Arrays => ({
  setCursor: [
    (u) => {
      const at = idx(u);
      if (u.cursor.idx == null && at !== null) u.setLegend({ idx: at }, false);
    },
  ],
  setData: [
    (u) => {
      const at = idx(u);
      if (at !== null) u.setLegend({ idx: at }, false);
    },
  ],
});

/** A uPlot chart in a figure that fills its container's width and follows resizes. */
function chartFrame<X>(
  testId: string,
  build: (element: HTMLElement, width: number, x: readonly X[], series: readonly SeriesSpec[]) => uPlot,
  toData: (x: readonly X[], series: readonly SeriesSpec[]) => uPlot.AlignedData,
  after: (element: HTMLElement, x: readonly X[]) => void = () => undefined,
): Chart<X> {
  const element = h("figure", { class: "chart", "data-testid": testId });
  let plot: uPlot | null = null;
  let labels = "";
  // The figure has 0.5rem padding on each side.
  const width = () => Math.max(280, element.clientWidth - 16);
  const observer = new ResizeObserver(() => plot?.setSize({ width: width(), height: HEIGHT }));
  observer.observe(element);
  return {
    element,
    update(x, series) {
      const key = series.map((s) => s.label).join("|");
      if (plot !== null && key === labels) {
        plot.setData(toData(x, series));
      } else {
        plot?.destroy();
        labels = key;
        plot = build(element, width(), x, series);
      }
      after(element, x);
    },
    destroy() {
      observer.disconnect();
      plot?.destroy();
      plot = null;
    },
  };
}

/** Tick steps of sampled series, in seconds: whole seconds and up (uPlot would also tick every half second). */
const SAMPLE_TICKS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

const lastIndex = (u: uPlot): number | null => (u.data[0].length === 0 ? null : u.data[0].length - 1);

/** A line chart of samples over time (epoch ms), for continuous measurements such as events/s. */
export function timeChart(title: string, yLabel: string, testId: string): Chart<number> {
  const toData = (times: readonly number[], series: readonly SeriesSpec[]): uPlot.AlignedData => [
    times.map((t) => t / 1000),
    ...series.map((s) => [...s.values]),
  ];
  return chartFrame(
    testId,
    (element, width, times, series) =>
      new uPlot(
        {
          title,
          width,
          height: HEIGHT,
          // One point alone would give an empty x range: widen it to a minute each side.
          scales: {
            x: { time: true, range: (_u, min, max) => (min === max ? [min - 60, max + 60] : [min, max]) },
          },
          axes: [timeAxis(SAMPLE_TICKS), { label: yLabel }],
          series: [
            { value: (_u, v) => (v == null ? "–" : fmtTime(v * 1000)) },
            ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: true })),
          ],
          hooks: pinLegend(lastIndex),
        },
        toData(times, series),
        element,
      ),
    toData,
  );
}

/**
 * Per-window values as bars, one slot per tumbling window: ticks on window boundaries, the still-open window
 * shaded and labelled "partial", the legend on the latest ended window. `layered`: series drawn on top of each
 * other, the first at the back (quantiles that nest, e.g. p99 ≥ p95 ≥ p50); `paired`: two series side by side.
 */
export function windowChart(
  title: string,
  yLabel: string,
  testId: string,
  layout: "layered" | "paired" = "layered",
): Chart<WindowSlot> {
  let slots: readonly WindowSlot[] = [];
  const size = () => {
    const w = slots[0];
    return w === undefined ? 300 : Math.max(1, (w.end - w.start) / 1000);
  };
  const toData = (x: readonly WindowSlot[], series: readonly SeriesSpec[]): uPlot.AlignedData => {
    slots = x;
    // A bar stands in the middle of its window.
    return [x.map((w) => (w.start + w.end) / 2000), ...series.map((s) => [...s.values])];
  };
  const lastEnded = (): number | null => {
    for (let i = slots.length - 1; i >= 0; i--) if (!slots[i]!.partial) return i;
    return null;
  };
  const shadePartial = (u: uPlot) => {
    const open = slots.find((w) => w.partial);
    if (open === undefined) return;
    const { ctx } = u;
    const left = u.valToPos(open.start / 1000, "x", true);
    const right = u.valToPos(open.end / 1000, "x", true);
    ctx.save();
    ctx.fillStyle = "rgba(140, 149, 159, 0.18)";
    ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
    ctx.fillStyle = "#57606a";
    ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
    ctx.textAlign = "center";
    ctx.fillText("partial", (left + right) / 2, u.bbox.top + 12 * devicePixelRatio);
    ctx.restore();
  };
  const barOptions = (i: number): uPlot.Series => {
    if (layout === "paired") {
      return { paths: uPlot.paths.bars!({ size: [0.42, 80], align: i === 0 ? -1 : 1 }) };
    }
    return { paths: uPlot.paths.bars!({ size: [0.8, 120] }) };
  };
  const chart = chartFrame<WindowSlot>(
    testId,
    (element, width, x, series) => {
      const data = toData(x, series);
      const w = size();
      return new uPlot(
        {
          title,
          width,
          height: HEIGHT,
          scales: {
            x: {
              time: true,
              range: () =>
                slots.length === 0
                  ? [Date.now() / 1000 - w, Date.now() / 1000]
                  : [slots[0]!.start / 1000, slots.at(-1)!.end / 1000],
            },
            y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
          },
          axes: [
            timeAxis([w, 2 * w, 3 * w, 6 * w, 12 * w, 24 * w, 48 * w, 96 * w, 288 * w]),
            { label: yLabel },
          ],
          series: [
            {
              value: (_u, v) =>
                v == null ? "–" : fmtWindow(v * 1000 - (w * 1000) / 2, v * 1000 + (w * 1000) / 2),
            },
            ...series.map((s, i) => ({
              label: s.label,
              stroke: s.color,
              fill: `${s.color}cc`,
              width: 1,
              points: { show: false },
              ...barOptions(i),
            })),
          ],
          hooks: { ...pinLegend(lastEnded), draw: [shadePartial] },
        },
        data,
        element,
      );
    },
    toData,
    (element, x) => {
      // For readers and tests: which window is partial, in words under the chart and as an attribute.
      const open = x.find((w) => w.partial);
      let caption = element.querySelector("figcaption");
      if (caption === null) caption = element.appendChild(h("figcaption", { class: "muted" }));
      caption.textContent =
        open === undefined
          ? ""
          : `Shaded: the open window ${fmtWindow(open.start, open.end)}, still filling (partial).`;
      if (open === undefined) delete element.dataset.partialWindow;
      else element.dataset.partialWindow = String(open.start);
      element.dataset.windows = String(x.length);
    },
  );
  return chart;
}
