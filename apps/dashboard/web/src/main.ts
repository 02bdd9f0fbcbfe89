import "./style.css";
import type { GamesView } from "../../src/server/api/ViewTypes.ts";
import { fill, h } from "./dom.ts";
import { fetchView } from "./live.ts";
import { healthPage } from "./pages/health.ts";
import { leaderboardPage } from "./pages/leaderboard.ts";
import { matchPage, matchesPage } from "./pages/matches.ts";
import { playerPage } from "./pages/player.ts";
import { serversPage } from "./pages/servers.ts";

/** What a page gets: where to draw, the chosen game, and the route's parameters. Returns its cleanup. */
export interface PageContext {
  readonly root: HTMLElement;
  readonly game: string | null;
  readonly args: readonly string[];
}
export type Page = (ctx: PageContext) => () => void;

const routes: Record<string, { nav: string; page: Page }> = {
  "": { nav: "leaderboard", page: leaderboardPage },
  players: { nav: "leaderboard", page: playerPage },
  matches: { nav: "matches", page: matchesPage },
  match: { nav: "matches", page: matchPage },
  servers: { nav: "servers", page: serversPage },
  health: { nav: "health", page: healthPage },
};

const root = document.getElementById("page")!;
const gameSelect = document.getElementById("game") as HTMLSelectElement;
let cleanup: () => void = () => undefined;

function render(): void {
  cleanup();
  const [name = "", ...args] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  // #/matches/<id> is a match's page.
  const key = name === "matches" && args.length > 0 ? "match" : name;
  const entry = routes[key] ?? routes[""]!;
  for (const link of document.querySelectorAll<HTMLElement>("[data-nav]")) {
    link.classList.toggle("active", link.dataset.nav === entry.nav);
  }
  fill(root);
  cleanup = entry.page({ root, game: gameSelect.value === "" ? null : gameSelect.value, args });
}

async function start(): Promise<void> {
  try {
    const { games } = await fetchView<GamesView>("games");
    const saved = localStorage.getItem("gametel.game");
    fill(gameSelect, ...games.map((g) => h("option", { value: g, selected: g === saved }, g)));
    if (games.length === 0) fill(gameSelect, h("option", { value: "" }, "no data yet"));
  } catch {
    fill(gameSelect, h("option", { value: "" }, "unavailable"));
  }
  gameSelect.addEventListener("change", () => {
    localStorage.setItem("gametel.game", gameSelect.value);
    render();
  });
  window.addEventListener("hashchange", render);
  render();
}

void start();
