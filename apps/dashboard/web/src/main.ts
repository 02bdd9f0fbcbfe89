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

/** Fills the game picker; true when there is at least one game. */
async function loadGames(): Promise<boolean> {
  try {
    const { games } = await fetchView<GamesView>("games");
    const saved = localStorage.getItem("gametel.game");
    fill(gameSelect, ...games.map((g) => h("option", { value: g, selected: g === saved }, g)));
    if (games.length === 0) fill(gameSelect, h("option", { value: "" }, "no data yet"));
    return games.length > 0;
  } catch {
    fill(gameSelect, h("option", { value: "" }, "unavailable"));
    return false;
  }
}

/** Until the first results arrive (a fresh pipeline), the game list is read again every few seconds. */
const GAMES_RETRY_MS = 3_000;

async function start(): Promise<void> {
  const ready = await loadGames();
  gameSelect.addEventListener("change", () => {
    localStorage.setItem("gametel.game", gameSelect.value);
    render();
  });
  window.addEventListener("hashchange", render);
  render();
  if (!ready) {
    const retry = setInterval(() => {
      void loadGames().then((found) => {
        if (!found) return;
        clearInterval(retry);
        render();
      });
    }, GAMES_RETRY_MS);
  }
}

void start();
