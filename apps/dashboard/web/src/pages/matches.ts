import type { MatchRow, MatchView, MatchesView } from "../../../src/server/api/ViewTypes.ts";
import { fill, h, route } from "../dom.ts";
import { fmtDec, fmtDuration, fmtInt, fmtPct, fmtSeconds, fmtTime } from "../format.ts";
import { watch } from "../live.ts";
import type { Page } from "../main.ts";

const NUMERIC = new Set([
  "Elapsed",
  "Players",
  "Kills",
  "Deaths",
  "K/D",
  "Headshots",
  "Damage",
  "Avg survival",
]);

const headRow = (titles: readonly string[]) =>
  h(
    "thead",
    {},
    h("tr", {}, ...titles.map((t) => h("th", { class: NUMERIC.has(t) ? "num" : undefined }, t))),
  );

const topKiller = (m: MatchRow) =>
  m.top_killer === null
    ? "–"
    : h(
        "a",
        { href: route("players", m.top_killer.player_id) },
        `${m.top_killer.player_id} (${m.top_killer.kills})`,
      );

const status = (m: MatchRow) =>
  h("span", { class: `status status-${m.status.replace(/ /g, "-")}` }, m.status);
const winner = (m: MatchRow) => m.winning_team ?? (m.status === "finished" ? "tie" : "–");

/** Match ids are UUIDs: the list shows their start (the full id is the link's title and the detail page's). */
const short = (id: string) => (id.length > 13 ? `${id.slice(0, 8)}…` : id);

/** Matches, newest first, with their status and elapsed time. */
export const matchesPage: Page = ({ root, game }) => {
  const body = h("tbody");
  fill(
    root,
    h("h1", {}, "Matches"),
    h(
      "table",
      { class: "grid", "data-testid": "matches" },
      headRow([
        "Match",
        "Status",
        "Start",
        "Elapsed",
        "Server",
        "Map",
        "Mode",
        "Players",
        "Kills",
        "Top killer",
        "Winner",
      ]),
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
          { "data-match": m.match_id, "data-status": m.status },
          h("td", {}, h("a", { href: route("matches", m.match_id), title: m.match_id }, short(m.match_id))),
          h("td", {}, status(m)),
          h("td", {}, fmtTime(m.start)),
          h("td", { class: "num" }, fmtDuration(m.elapsed_ms)),
          h("td", {}, m.server_id ?? "–"),
          h("td", {}, m.map ?? "–"),
          h("td", {}, m.mode ?? "–"),
          h("td", { class: "num" }, fmtInt(m.players)),
          h("td", { class: "num" }, fmtInt(m.kills)),
          h("td", {}, topKiller(m)),
          h("td", {}, winner(m)),
        ),
      ),
    );
    if (view.matches.length === 0)
      fill(body, h("tr", {}, h("td", { colspan: 11, class: "muted" }, "No matches yet.")));
  });
};

/** One match: status, elapsed time, server, and the scoreboard (per-player kills, deaths and K/D in the match). */
export const matchPage: Page = ({ root, game, args }) => {
  const id = args[0] ?? "";
  const details = h("dl", { class: "details", "data-testid": "match" }, "loading…");
  const board = h("tbody");
  const boardNote = h("p", { class: "muted", "data-testid": "scoreboard-note" });
  const scoreboard = h(
    "table",
    { class: "grid", "data-testid": "scoreboard" },
    headRow(["Player", "Kills", "Deaths", "K/D", "Headshots", "Damage", "Avg survival", "Last seen"]),
    board,
  );
  fill(
    root,
    h("p", {}, h("a", { href: "#/matches" }, "← Matches")),
    h("h1", {}, "Match ", h("code", {}, id)),
    details,
    h("h2", {}, "Scoreboard"),
    boardNote,
    scoreboard,
  );
  if (game === null) {
    fill(details, h("p", { class: "empty" }, "No game selected: there are no results in MongoDB yet."));
    return () => undefined;
  }
  return watch<MatchView>("match", { game, match: id }, ({ match: m, scoreboard: players }) => {
    if (m === null) {
      fill(details, h("p", { class: "empty", "data-testid": "match-empty" }, `No match “${id}” in ${game}.`));
      scoreboard.hidden = true;
      return;
    }
    const row = (label: string, value: Node | string, testId?: string) => [
      h("dt", {}, label),
      h("dd", { "data-testid": testId }, value),
    ];
    fill(
      details,
      ...row("Status", status(m), "match-status"),
      ...row("Start", fmtTime(m.start)),
      ...row("End", fmtTime(m.end)),
      ...row(m.status === "finished" ? "Duration" : "Elapsed", fmtDuration(m.elapsed_ms), "match-elapsed"),
      ...row("Server", m.server_id ?? "–", "match-server"),
      ...row("Map / mode", `${m.map ?? "–"} / ${m.mode ?? "–"}`),
      ...row("Players", fmtInt(m.players)),
      ...row("Kills", fmtInt(m.kills)),
      ...row("Top killer", topKiller(m)),
      ...row("Winning team", winner(m)),
    );
    scoreboard.hidden = players.length === 0;
    fill(
      boardNote,
      players.length === 0
        ? "No per-player results for this match yet (match_players)."
        : `${players.length} players, most kills first.`,
    );
    fill(
      board,
      ...players.map((p) =>
        h(
          "tr",
          { "data-player": p.player_id },
          h("td", {}, h("a", { href: route("players", p.player_id) }, p.player_id)),
          h("td", { class: "num", "data-col": "kills" }, fmtInt(p.kills)),
          h("td", { class: "num", "data-col": "deaths" }, fmtInt(p.deaths)),
          h("td", { class: "num", "data-col": "kd_ratio" }, fmtDec(p.kd_ratio)),
          h("td", { class: "num" }, fmtPct(p.headshot_ratio)),
          h("td", { class: "num" }, fmtInt(p.damage_dealt)),
          h("td", { class: "num" }, fmtSeconds(p.avg_survival_ms)),
          h("td", { class: "muted" }, fmtTime(p.last_seen)),
        ),
      ),
    );
  });
};
