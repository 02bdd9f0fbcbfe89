import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { h } from "./dom.ts";

export interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

export interface TimeChart {
  readonly element: HTMLElement;
  update(times: readonly number[], series: readonly SeriesSpec[]): void;
  destroy(): void;
}

const HEIGHT = 220;

/**
 * A time-series line chart (uPlot) that fills its container's width and follows resizes. Times are epoch ms.
 */
export function timeChart(title: string, yLabel: string, testId: string): TimeChart {
  const element = h("figure", { class: "chart", "data-testid": testId });
  let plot: uPlot | null = null;
  let labels = "";
  const observer = new ResizeObserver(() => plot?.setSize({ width: width(), height: HEIGHT }));
  observer.observe(element);
  // The figure has 0.5rem padding on each side.
  const width = () => Math.max(280, element.clientWidth - 16);

  return {
    element,
    update(times, series) {
      const data: uPlot.AlignedData = [
        times.map((t) => t / 1000),
        ...series.map((s) => s.values.map((v) => (v === null ? null : v))),
      ];
      const key = series.map((s) => s.label).join("|");
      if (plot !== null && key === labels) {
        plot.setData(data);
        return;
      }
      plot?.destroy();
      labels = key;
      plot = new uPlot(
        {
          title,
          width: width(),
          height: HEIGHT,
          // One point alone would give an empty x range: widen it to a minute each side.
          scales: {
            x: { time: true, range: (_u, min, max) => (min === max ? [min - 60, max + 60] : [min, max]) },
          },
          axes: [{}, { label: yLabel }],
          series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: true }))],
        },
        data,
        element,
      );
    },
    destroy() {
      observer.disconnect();
      plot?.destroy();
      plot = null;
    },
  };
}
