import type { MatchRow, MatchView, MatchesView } from "../../../src/server/api/ViewTypes.ts";
import { fill, h, route } from "../dom.ts";
import { fmtDuration, fmtInt, fmtTime } from "../format.ts";
import { watch } from "../live.ts";
import type { Page } from "../main.ts";

const NUMERIC = new Set(["Duration", "Players", "Kills"]);

const topKiller = (m: MatchRow) =>
  m.top_killer === null
    ? "–"
    : h(
        "a",
        { href: route("players", m.top_killer.player_id) },
        `${m.top_killer.player_id} (${m.top_killer.kills})`,
      );

/** Match ids are UUIDs: the list shows their start (the full id is the link's title and the detail page's). */
const short = (id: string) => (id.length > 13 ? `${id.slice(0, 8)}…` : id);

/** Matches, newest first. */
export const matchesPage: Page = ({ root, game }) => {
  const body = h("tbody");
  fill(
    root,
    h("h1", {}, "Matches"),
    h(
      "table",
      { class: "grid", "data-testid": "matches" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["Match", "Start", "Duration", "Map", "Mode", "Players", "Kills", "Top killer", "Winner"].map(
            (t) => h("th", { class: NUMERIC.has(t) ? "num" : undefined }, t),
          ),
        ),
      ),
      body,
    ),
  );
  const params: Record<string, string> = game === null ? {} : { game };
  return watch<MatchesView>("matches", params, (view) => {
    fill(
      body,
      ...view.matches.map((m) =>
        h(
          "tr",
          { "data-match": m.match_id },
          h("td", {}, h("a", { href: route("matches", m.match_id), title: m.match_id }, short(m.match_id))),
          h("td", {}, fmtTime(m.start)),
          h("td", { class: "num" }, m.end === null ? "running" : fmtDuration(m.duration_ms)),
          h("td", {}, m.map ?? "–"),
          h("td", {}, m.mode ?? "–"),
          h("td", { class: "num" }, fmtInt(m.players)),
          h("td", { class: "num" }, fmtInt(m.kills)),
          h("td", {}, topKiller(m)),
          h("td", {}, m.winning_team ?? (m.end === null ? "–" : "tie")),
        ),
      ),
    );
    if (view.matches.length === 0)
      fill(body, h("tr", {}, h("td", { colspan: 9, class: "muted" }, "No matches yet.")));
  });
};

/** One match: duration, players, kills, top killer. */
export const matchPage: Page = ({ root, game, args }) => {
  const id = args[0] ?? "";
  const details = h("dl", { class: "details", "data-testid": "match" }, "loading…");
  fill(
    root,
    h("p", {}, h("a", { href: "#/matches" }, "← Matches")),
    h("h1", {}, "Match ", h("code", {}, id)),
    details,
  );
  if (game === null) return () => undefined;
  return watch<MatchView>("match", { game, match: id }, ({ match: m }) => {
    if (m === null) {
      fill(details, "No such match.");
      return;
    }
    const row = (label: string, value: Node | string) => [h("dt", {}, label), h("dd", {}, value)];
    fill(
      details,
      ...row("Start", fmtTime(m.start)),
      ...row("End", m.end === null ? "running" : fmtTime(m.end)),
      ...row("Duration", fmtDuration(m.duration_ms)),
      ...row("Map / mode", `${m.map ?? "–"} / ${m.mode ?? "–"}`),
      ...row("Players", fmtInt(m.players)),
      ...row("Kills", fmtInt(m.kills)),
      ...row("Top killer", topKiller(m)),
      ...row("Winning team", m.winning_team ?? (m.end === null ? "–" : "tie")),
    );
  });
};
