import type { PlayerView } from "../../../src/server/api/ViewTypes.ts";
import { timeChart } from "../charts.ts";
import { fill, h } from "../dom.ts";
import { fmtDec, fmtInt, fmtPct, fmtSeconds, fmtTime } from "../format.ts";
import { watch } from "../live.ts";
import type { Page } from "../main.ts";

const card = (label: string, value: string, testId?: string) =>
  h(
    "div",
    { class: "card", "data-testid": testId },
    h("span", { class: "label" }, label),
    h("strong", {}, value),
  );

/** A player's all-time stats and their 5-minute windows over time (K/D, kills, survival time). */
export const playerPage: Page = ({ root, game, args }) => {
  const player = args[0] ?? "";
  const cards = h("div", { class: "cards", "data-testid": "player-stats" }, "loading…");
  const note = h("p", { class: "muted" });
  const kd = timeChart("K/D per window", "K/D", "chart-kd");
  const kills = timeChart("Kills and deaths per window", "events", "chart-kills");
  const survival = timeChart("Average survival per window", "seconds", "chart-survival");

  fill(
    root,
    h("p", {}, h("a", { href: "#/" }, "← Leaderboard")),
    h("h1", {}, "Player ", h("code", { "data-testid": "player-id" }, player)),
    cards,
    note,
    h("div", { class: "charts" }, kd.element, kills.element, survival.element),
  );
  if (game === null) {
    fill(cards, "No game selected.");
    return () => undefined;
  }

  const draw = (view: PlayerView) => {
    const s = view.stats;
    if (s === null) {
      fill(cards, `No statistics for ${view.player_id} in ${view.game}.`);
    } else {
      fill(
        cards,
        card("K/D", fmtDec(s.kd_ratio), "stat-kd"),
        card("Kills", fmtInt(s.kills), "stat-kills"),
        card("Deaths", fmtInt(s.deaths)),
        card("Matches", fmtInt(s.matches)),
        card("Kills per match", fmtDec(s.avg_kills_per_match)),
        card("Avg survival", fmtSeconds(s.avg_survival_ms)),
        card("Headshots", fmtPct(s.headshot_ratio)),
        card("Accuracy", s.shots === 0 ? "–" : fmtPct(s.hits / s.shots)),
        card("Damage dealt", fmtInt(s.damage_dealt)),
      );
      fill(
        note,
        `First seen ${fmtTime(s.first_seen)} · last seen ${fmtTime(s.last_seen)} · ${view.windows.length} windows`,
      );
    }
    const times = view.windows.map((w) => w.window_start);
    kd.update(times, [{ label: "K/D", color: "#1f6feb", values: view.windows.map((w) => w.kd_ratio) }]);
    kills.update(times, [
      { label: "kills", color: "#2da44e", values: view.windows.map((w) => w.kills) },
      { label: "deaths", color: "#cf222e", values: view.windows.map((w) => w.deaths) },
    ]);
    survival.update(times, [
      {
        label: "avg survival (s)",
        color: "#8250df",
        values: view.windows.map((w) => (w.avg_survival_ms === null ? null : w.avg_survival_ms / 1000)),
      },
    ]);
  };

  const stop = watch<PlayerView>("player", { game, player }, draw);
  return () => {
    stop();
    kd.destroy();
    kills.destroy();
    survival.destroy();
  };
};
