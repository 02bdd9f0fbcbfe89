import type { PlayerView } from "../../../src/server/api/ViewTypes.ts";
import { windowChart } from "../charts.ts";
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

/** A player's all-time stats and their windows as bars (K/D, kills and deaths, survival time). */
export const playerPage: Page = ({ root, game, args }) => {
  const player = args[0] ?? "";
  const cards = h("div", { class: "cards", "data-testid": "player-stats" }, "loading…");
  const note = h("p", { class: "muted" });
  const kd = windowChart("K/D per window", "K/D", "chart-kd");
  const kills = windowChart("Kills and deaths per window", "events", "chart-kills", "paired");
  const survival = windowChart("Average survival per window", "seconds", "chart-survival");
  const charts = h("div", { class: "charts" }, kd.element, kills.element, survival.element);

  fill(
    root,
    h("p", {}, h("a", { href: "#/" }, "← Leaderboard")),
    h("h1", {}, "Player ", h("code", { "data-testid": "player-id" }, player)),
    cards,
    note,
    charts,
  );
  const empty = (message: string) => {
    fill(cards, h("p", { class: "empty", "data-testid": "player-empty" }, message));
    fill(note);
    charts.hidden = true;
  };
  if (game === null) {
    empty("No game selected: there are no results in MongoDB yet.");
    return () => undefined;
  }

  const draw = (view: PlayerView) => {
    const s = view.stats;
    if (s === null) {
      empty(
        `No player “${view.player_id}” in ${view.game}: the processors have written no statistics for this id. ` +
          "Check the spelling, or pick another game at the top.",
      );
      return;
    }
    charts.hidden = false;
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
    const slots = view.windows.map((w) => ({ start: w.window_start, end: w.window_end, partial: w.partial }));
    kd.update(slots, [{ label: "K/D", color: "#1f6feb", values: view.windows.map((w) => w.kd_ratio) }]);
    kills.update(slots, [
      { label: "kills", color: "#2da44e", values: view.windows.map((w) => w.kills) },
      { label: "deaths", color: "#cf222e", values: view.windows.map((w) => w.deaths) },
    ]);
    survival.update(slots, [
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
