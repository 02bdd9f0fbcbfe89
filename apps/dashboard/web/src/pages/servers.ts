import type {
  MetricSummaryView,
  ServerComparisonRow,
  ServerPoint,
  ServersView,
} from "../../../src/server/api/ViewTypes.ts";
import { windowChart } from "../charts.ts";
import { fill, h } from "../dom.ts";
import { fmtDec, fmtInt, fmtWindow } from "../format.ts";
import { watch } from "../live.ts";
import type { Page } from "../main.ts";

type Metric = "ping_ms" | "fps" | "frame_time_ms";
type Quantile = "p1" | "p5" | "p50" | "p95" | "p99";

// The bad tail: lows for fps, highs for ping and frame time. Layered bars: the widest value first (at the back).
const HIGHS: readonly { key: Quantile; color: string }[] = [
  { key: "p99", color: "#cf222e" },
  { key: "p95", color: "#bf8700" },
  { key: "p50", color: "#2da44e" },
];
const LOWS: readonly { key: Quantile; color: string }[] = [
  { key: "p50", color: "#2da44e" },
  { key: "p5", color: "#bf8700" },
  { key: "p1", color: "#cf222e" },
];

const series = (points: readonly ServerPoint[], metric: Metric, quantiles: typeof HIGHS) =>
  quantiles.map((q) => ({
    label: q.key,
    color: q.color,
    values: points.map((p) => p[metric]?.[q.key] ?? null),
  }));

const q = (s: MetricSummaryView | null, key: Quantile) => fmtDec(s?.[key] ?? null);

const COLUMNS = [
  "Server",
  "Window",
  "Samples",
  "FPS p1",
  "FPS p5",
  "FPS p50",
  "Ping p50 (ms)",
  "Ping p95 (ms)",
  "Ping p99 (ms)",
  "Frame time p95 (ms)",
  "Frame time p99 (ms)",
];

const comparisonRow = (r: ServerComparisonRow) =>
  h(
    "tr",
    { "data-server": r.server_id },
    h("td", {}, r.server_id),
    h("td", { class: "muted" }, fmtWindow(r.window_start, r.window_end)),
    h("td", { class: "num" }, fmtInt(r.count)),
    h("td", { class: "num", "data-col": "fps_p1" }, q(r.fps, "p1")),
    h("td", { class: "num" }, q(r.fps, "p5")),
    h("td", { class: "num" }, q(r.fps, "p50")),
    h("td", { class: "num" }, q(r.ping_ms, "p50")),
    h("td", { class: "num" }, q(r.ping_ms, "p95")),
    h("td", { class: "num", "data-col": "ping_p99" }, q(r.ping_ms, "p99")),
    h("td", { class: "num" }, q(r.frame_time_ms, "p95")),
    h("td", { class: "num" }, q(r.frame_time_ms, "p99")),
  );

/**
 * Server performance per window as bars: the lows of fps (p1, p5 against p50) and the highs of ping and frame
 * time (p95, p99 against p50), and a table comparing every server's latest ended window.
 */
export const serversPage: Page = ({ root, game }) => {
  let server: string | null = sessionStorage.getItem("gametel.server");
  let stop: () => void = () => undefined;
  const picker = h("select", {
    "data-testid": "server",
    onchange: (e: Event) => {
      server = (e.target as HTMLSelectElement).value;
      sessionStorage.setItem("gametel.server", server);
      subscribe();
    },
  });
  const note = h("p", { class: "muted" });
  const compareBody = h("tbody");
  const fps = windowChart("Frames per second: lows (p1, p5) and median", "fps", "chart-fps");
  const ping = windowChart("Ping: highs (p95, p99) and median", "ms", "chart-ping");
  const frame = windowChart("Frame time: highs (p95, p99) and median", "ms", "chart-frame-time");
  const charts = h("div", { class: "charts" }, fps.element, ping.element, frame.element);
  fill(
    root,
    h("h1", {}, "Server performance"),
    h("h2", {}, "Servers compared"),
    h(
      "p",
      { class: "muted" },
      "Each server's latest ended window, worst fps p1 first. Quantiles of the window's samples (1% accuracy).",
    ),
    h(
      "table",
      { class: "grid", "data-testid": "server-comparison" },
      h(
        "thead",
        {},
        h("tr", {}, ...COLUMNS.map((t, i) => h("th", { class: i >= 2 ? "num" : undefined }, t))),
      ),
      compareBody,
    ),
    h("h2", {}, "One server over time"),
    h("div", { class: "controls" }, h("label", {}, "Server ", picker)),
    note,
    charts,
  );

  const draw = (view: ServersView) => {
    fill(picker, ...view.servers.map((s) => h("option", { value: s, selected: s === view.server }, s)));
    fill(compareBody, ...view.comparison.map(comparisonRow));
    if (view.comparison.length === 0) {
      fill(
        compareBody,
        h("tr", {}, h("td", { colspan: COLUMNS.length, class: "muted" }, "No ended window yet.")),
      );
    }
    charts.hidden = view.server === null;
    const samples = view.points.reduce((sum, p) => sum + p.count, 0);
    fill(
      note,
      view.server === null
        ? "No servers yet: no perf_sample events have been processed."
        : `${view.points.length} windows · ${fmtInt(samples)} samples`,
    );
    const slots = view.points.map((p) => ({ start: p.window_start, end: p.window_end, partial: p.partial }));
    fps.update(slots, series(view.points, "fps", LOWS));
    ping.update(slots, series(view.points, "ping_ms", HIGHS));
    frame.update(slots, series(view.points, "frame_time_ms", HIGHS));
  };
  const subscribe = () => {
    stop();
    const params: Record<string, string> = {};
    if (game !== null) params.game = game;
    if (server !== null && server !== "") params.server = server;
    stop = watch<ServersView>("servers", params, draw);
  };
  subscribe();
  return () => {
    stop();
    ping.destroy();
    fps.destroy();
    frame.destroy();
  };
};
