import type { LeaderboardSort, LeaderboardView } from "../../../src/server/api/ViewTypes.ts";
import { fill, h, route } from "../dom.ts";
import { fmtDec, fmtInt, fmtPct, fmtSeconds, fmtTime } from "../format.ts";
import { watch } from "../live.ts";
import type { Page } from "../main.ts";

const NUMERIC = new Set([
  "#",
  "K/D",
  "Kills",
  "Deaths",
  "Matches",
  "Kills/match",
  "Avg survival",
  "Headshots",
]);

const SORTS: Record<LeaderboardSort, string> = {
  kd_ratio: "K/D",
  kills: "Kills",
  avg_kills_per_match: "Avg kills per match",
  avg_survival_ms: "Avg survival time",
};

/** Live leaderboard: top players by the chosen insight, with search by player. */
export const leaderboardPage: Page = ({ root, game }) => {
  let sort: LeaderboardSort =
    (sessionStorage.getItem("gametel.sort") as LeaderboardSort | null) ?? "kd_ratio";
  let q = "";
  let stop: () => void = () => undefined;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  const summary = h("p", { class: "muted", "data-testid": "leaderboard-summary" }, "loading…");
  const body = h("tbody");
  const sortSelect = h(
    "select",
    {
      "data-testid": "sort",
      onchange: (e: Event) => {
        sort = (e.target as HTMLSelectElement).value as LeaderboardSort;
        sessionStorage.setItem("gametel.sort", sort);
        subscribe();
      },
    },
    ...Object.entries(SORTS).map(([value, label]) => h("option", { value, selected: value === sort }, label)),
  );
  const search = h("input", {
    type: "search",
    placeholder: "Search player…",
    "data-testid": "search",
    oninput: (e: Event) => {
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        q = (e.target as HTMLInputElement).value.trim();
        subscribe();
      }, 250);
    },
  });

  const draw = (view: LeaderboardView) => {
    fill(
      summary,
      `${fmtInt(view.players)} players in ${view.game ?? "–"} · top ${view.rows.length} by ${SORTS[view.sort]}`,
      view.q === "" ? "" : ` matching “${view.q}”`,
    );
    fill(
      body,
      ...view.rows.map((r) =>
        h(
          "tr",
          { "data-player": r.player_id },
          h("td", { class: "num" }, r.rank),
          h("td", {}, h("a", { href: route("players", r.player_id) }, r.player_id)),
          h("td", { class: "num", "data-col": "kd_ratio" }, fmtDec(r.kd_ratio)),
          h("td", { class: "num", "data-col": "kills" }, fmtInt(r.kills)),
          h("td", { class: "num" }, fmtInt(r.deaths)),
          h("td", { class: "num" }, fmtInt(r.matches)),
          h("td", { class: "num" }, fmtDec(r.avg_kills_per_match)),
          h("td", { class: "num" }, fmtSeconds(r.avg_survival_ms)),
          h("td", { class: "num" }, fmtPct(r.headshot_ratio)),
          h("td", { class: "muted" }, fmtTime(r.last_seen)),
        ),
      ),
    );
    if (view.rows.length === 0)
      fill(body, h("tr", {}, h("td", { colspan: 10, class: "muted" }, "No players yet.")));
  };

  const subscribe = () => {
    stop();
    const params: Record<string, string> = { sort, q, limit: "20" };
    if (game !== null) params.game = game;
    stop = watch<LeaderboardView>("leaderboard", params, draw);
  };

  fill(
    root,
    h("h1", {}, "Leaderboard"),
    h("div", { class: "controls" }, h("label", {}, "Rank by ", sortSelect), search),
    summary,
    h(
      "table",
      { class: "grid", "data-testid": "leaderboard" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...[
            "#",
            "Player",
            "K/D",
            "Kills",
            "Deaths",
            "Matches",
            "Kills/match",
            "Avg survival",
            "Headshots",
            "Last seen",
          ].map((t) => h("th", { class: NUMERIC.has(t) ? "num" : undefined }, t)),
        ),
      ),
      body,
    ),
  );
  subscribe();
  return () => {
    clearTimeout(debounce);
    stop();
  };
};
