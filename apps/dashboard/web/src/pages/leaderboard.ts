import type { LeaderboardSort, LeaderboardView, MinSampleBasis } from "../../../src/server/api/ViewTypes.ts";
import { DEFAULT_MIN_SAMPLE, MAX_MIN_SAMPLE, MIN_SAMPLE_BASES } from "../../../src/server/api/ViewTypes.ts";
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

/**
 * Live leaderboard: top players by the chosen insight among those with the minimum sample (at least N matches or
 * deaths, adjustable), with search by player.
 */
export const leaderboardPage: Page = ({ root, game }) => {
  let sort: LeaderboardSort =
    (sessionStorage.getItem("gametel.sort") as LeaderboardSort | null) ?? "kd_ratio";
  let basis: MinSampleBasis =
    (sessionStorage.getItem("gametel.min-basis") as MinSampleBasis | null) ?? DEFAULT_MIN_SAMPLE.basis;
  let min = sessionStorage.getItem("gametel.min") ?? String(DEFAULT_MIN_SAMPLE.min);
  let q = "";
  let stop: () => void = () => undefined;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  const summary = h("p", { class: "muted", "data-testid": "leaderboard-summary" }, "loading…");
  const body = h("tbody");
  /** A select whose choice is kept for the tab's session and re-subscribes. */
  const choice = (
    testId: string,
    options: Readonly<Record<string, string>>,
    selected: string,
    pick: (v: string) => void,
  ) =>
    h(
      "select",
      {
        "data-testid": testId,
        onchange: (e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          pick(value);
          sessionStorage.setItem(`gametel.${testId}`, value);
          subscribe();
        },
      },
      ...Object.entries(options).map(([value, label]) =>
        h("option", { value, selected: value === selected }, label),
      ),
    );
  const sortSelect = choice("sort", SORTS, sort, (v) => (sort = v as LeaderboardSort));
  const minInput = h("input", {
    type: "number",
    min: 0,
    max: MAX_MIN_SAMPLE,
    step: 1,
    value: min,
    class: "min-sample",
    "data-testid": "min-sample",
    onchange: (e: Event) => {
      const value = Number((e.target as HTMLInputElement).value);
      if (!Number.isInteger(value) || value < 0 || value > MAX_MIN_SAMPLE) return;
      min = String(value);
      sessionStorage.setItem("gametel.min", min);
      subscribe();
    },
  });
  const basisSelect = choice(
    "min-basis",
    Object.fromEntries(MIN_SAMPLE_BASES.map((b) => [b, b])),
    basis,
    (v) => (basis = v as MinSampleBasis),
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
      h("strong", { "data-testid": "qualifying" }, fmtInt(view.qualifying)),
      ` of ${fmtInt(view.players)} players in ${view.game ?? "–"} have at least ${fmtInt(view.min)} ${view.basis}`,
      ` and rank · top ${view.rows.length} by ${SORTS[view.sort]}`,
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
          h("td", { class: "num", "data-col": "deaths" }, fmtInt(r.deaths)),
          h("td", { class: "num", "data-col": "matches" }, fmtInt(r.matches)),
          h("td", { class: "num" }, fmtDec(r.avg_kills_per_match)),
          h("td", { class: "num" }, fmtSeconds(r.avg_survival_ms)),
          h("td", { class: "num" }, fmtPct(r.headshot_ratio)),
          h("td", { class: "muted", "data-col": "last_seen" }, fmtTime(r.last_seen)),
        ),
      ),
    );
    if (view.rows.length === 0) {
      const why =
        view.players === 0
          ? "No players yet."
          : `No player has at least ${view.min} ${view.basis}${view.q === "" ? "" : ` and matches “${view.q}”`}: lower the minimum sample.`;
      fill(
        body,
        h("tr", {}, h("td", { colspan: 10, class: "muted", "data-testid": "leaderboard-empty" }, why)),
      );
    }
  };

  const subscribe = () => {
    stop();
    const params: Record<string, string> = { sort, q, limit: "20", basis, min };
    if (game !== null) params.game = game;
    stop = watch<LeaderboardView>("leaderboard", params, draw);
  };

  fill(
    root,
    h("h1", {}, "Leaderboard"),
    h(
      "div",
      { class: "controls" },
      h("label", {}, "Rank by ", sortSelect),
      h(
        "label",
        { title: "Players with fewer do not rank: one lucky match does not make a leader." },
        "Minimum sample ",
        minInput,
        " ",
        basisSelect,
      ),
      search,
    ),
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
