import type { ServerPoint, ServersView } from "../../../src/server/api/ViewTypes.ts";
import { timeChart } from "../charts.ts";
import { fill, h } from "../dom.ts";
import { fmtInt } from "../format.ts";
import { watch } from "../live.ts";
import type { Page } from "../main.ts";

type Metric = "ping_ms" | "fps" | "frame_time_ms";
const QUANTILES = [
  { key: "p50", color: "#2da44e" },
  { key: "p95", color: "#bf8700" },
  { key: "p99", color: "#cf222e" },
] as const;

const series = (points: readonly ServerPoint[], metric: Metric) =>
  QUANTILES.map((q) => ({
    label: q.key,
    color: q.color,
    values: points.map((p) => p[metric]?.[q.key] ?? null),
  }));

/** Server performance per 5-minute window: ping, fps and frame time quantiles over time. */
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
  const ping = timeChart("Ping (ms)", "ms", "chart-ping");
  const fps = timeChart("Frames per second", "fps", "chart-fps");
  const frame = timeChart("Frame time (ms)", "ms", "chart-frame-time");
  fill(
    root,
    h("h1", {}, "Server performance"),
    h("div", { class: "controls" }, h("label", {}, "Server ", picker)),
    note,
    h("div", { class: "charts" }, ping.element, fps.element, frame.element),
  );

  const draw = (view: ServersView) => {
    fill(picker, ...view.servers.map((s) => h("option", { value: s, selected: s === view.server }, s)));
    const samples = view.points.reduce((sum, p) => sum + p.count, 0);
    fill(
      note,
      view.server === null ? "No servers yet." : `${view.points.length} windows · ${fmtInt(samples)} samples`,
    );
    const times = view.points.map((p) => p.window_start);
    ping.update(times, series(view.points, "ping_ms"));
    fps.update(times, series(view.points, "fps"));
    frame.update(times, series(view.points, "frame_time_ms"));
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
