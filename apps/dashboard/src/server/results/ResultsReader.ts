import { MATCH_STATS_FIELDS, PLAYER_STATS_FIELDS } from "@gametel/core";
import type { MatchStats } from "@gametel/core";
import type { Db, Document, Filter, Sort } from "mongodb";
import type {
  LeaderboardSort,
  LeaderboardView,
  MatchPlayerRow,
  MatchRow,
  MatchStatus,
  MatchView,
  MatchesView,
  MinSampleBasis,
  PlayerView,
  ServerComparisonRow,
  ServerPoint,
  ServersView,
  WindowBounds,
} from "../api/ViewTypes.js";
import { MATCH_STALE_MS } from "../api/ViewTypes.js";
import type { DashboardCollections } from "../Collections.js";
import { ms, num, playerStatsOf, projectionOf, readFields, str, summaryOf } from "./fromDocument.js";

/**
 * The dashboard's queries over what the processors write. Reads only (find, countDocuments, distinct): the
 * dashboard is meant to run with a MongoDB user that has the `read` role and nothing else.
 */
export interface ResultsReader {
  games(): Promise<readonly string[]>;
  leaderboard(query: LeaderboardQuery): Promise<LeaderboardView>;
  player(game: string, playerId: string, maxWindows: number): Promise<PlayerView>;
  matches(game: string | null, limit: number): Promise<MatchesView>;
  match(game: string, matchId: string): Promise<MatchView>;
  servers(game: string | null, server: string | null, maxWindows: number): Promise<ServersView>;
}

export interface LeaderboardQuery {
  readonly game: string | null;
  readonly sort: LeaderboardSort;
  readonly q: string;
  readonly limit: number;
  /** Only players with at least `min` of `basis` rank. */
  readonly basis: MinSampleBasis;
  readonly min: number;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** Players a scoreboard shows at most (a match has tens). */
const SCOREBOARD_LIMIT = 200;
/** Servers the comparison table reads at most. */
const COMPARISON_LIMIT = 100;

/** Window bounds of a stored window; partial while it has not ended by `now`. */
function bounds(doc: Document, now: number): WindowBounds {
  const start = ms(doc.window_start) ?? 0;
  const end = ms(doc.window_end) ?? start;
  return { window_start: start, window_end: end, partial: end > now };
}

function matchStatus(m: MatchStats, updatedAt: number | null, now: number): MatchStatus {
  if (m.end !== null) return "finished";
  if (m.start === null) return "no start seen";
  return updatedAt !== null && now - updatedAt <= MATCH_STALE_MS ? "in progress" : "no end seen";
}

function matchRow(doc: Document, now: number, lastEvent: number | null): MatchRow {
  const top = doc.top_killer as Document | null | undefined;
  const stats = {
    ...readFields(MATCH_STATS_FIELDS, doc),
    top_killer:
      top && typeof top.player_id === "string" ? { player_id: top.player_id, kills: num(top.kills) } : null,
  } as unknown as MatchStats;
  const updatedAt = ms(doc.updated_at);
  const status = matchStatus(stats, updatedAt, now);
  const elapsed =
    stats.start === null
      ? null
      : status === "finished"
        ? stats.duration_ms
        : Math.max(0, (lastEvent ?? (status === "in progress" ? now : (updatedAt ?? now))) - stats.start);
  return { ...stats, match_id: str(doc.match_id) ?? "", status, elapsed_ms: elapsed, updated_at: updatedAt };
}

const MATCH_PROJECTION = projectionOf(MATCH_STATS_FIELDS, "match_id", "updated_at");
const SERVER_PROJECTION = {
  _id: 0,
  server_id: 1,
  window_start: 1,
  window_end: 1,
  count: 1,
  ping_ms: 1,
  fps: 1,
  frame_time_ms: 1,
} as const;

function serverPoint(d: Document, now: number): ServerPoint {
  return {
    ...bounds(d, now),
    count: num(d.count),
    ping_ms: summaryOf(d.ping_ms),
    fps: summaryOf(d.fps),
    frame_time_ms: summaryOf(d.frame_time_ms),
  };
}

export function createResultsReader(
  db: Db,
  collections: DashboardCollections,
  clock: () => number = Date.now,
): ResultsReader {
  const players = db.collection(collections.playerStats);
  const windows = db.collection(collections.playerWindows);
  const matches = db.collection(collections.matchStats);
  const matchPlayers = db.collection(collections.matchPlayers);
  const servers = db.collection(collections.serverPerf);

  const games = async () =>
    ((await players.distinct("game_id")) as unknown[])
      .filter((g): g is string => typeof g === "string")
      .sort();
  const gameOr = async (game: string | null) => game ?? (await games())[0] ?? null;

  /** Newest event time among a match's players (match_players.last_seen), per match id. */
  async function lastEvents(game: string, ids: readonly string[]): Promise<Map<string, number>> {
    const last = new Map<string, number>();
    if (ids.length === 0) return last;
    const docs = matchPlayers.find(
      { game_id: { $eq: game }, match_id: { $in: [...ids] } },
      { projection: { _id: 0, match_id: 1, last_seen: 1 } },
    );
    for await (const d of docs) {
      const id = str(d.match_id);
      const seen = ms(d.last_seen);
      if (id !== null && seen !== null) last.set(id, Math.max(seen, last.get(id) ?? seen));
    }
    return last;
  }

  return {
    games,

    async leaderboard({ game: requested, sort, q, limit, basis, min }) {
      const game = await gameOr(requested);
      const empty = { game, sort, q, basis, min, players: 0, qualifying: 0, rows: [] };
      if (game === null) return empty;
      const inGame: Filter<Document> = { game_id: { $eq: game } };
      const qualifies: Filter<Document> = { ...inGame, [basis]: { $gte: min } };
      const filter: Filter<Document> = { ...qualifies };
      if (q.length > 0) filter.player_id = { $regex: escapeRegex(q), $options: "i" };
      // Players without a completed life have no survival time: they do not rank on it.
      if (sort === "avg_survival_ms") filter.avg_survival_ms = { $ne: null };
      const order: Sort = [
        [sort, -1],
        ["player_id", 1],
      ];
      const [docs, total, qualifying] = await Promise.all([
        players
          .find(filter, { projection: projectionOf(PLAYER_STATS_FIELDS, "player_id") })
          .sort(order)
          .limit(limit)
          .toArray(),
        players.countDocuments(inGame),
        players.countDocuments(qualifies),
      ]);
      const rows = docs.map((doc, i) => {
        const s = playerStatsOf(doc);
        return {
          rank: i + 1,
          player_id: str(doc.player_id) ?? "",
          kills: s.kills,
          deaths: s.deaths,
          kd_ratio: s.kd_ratio,
          matches: s.matches,
          avg_kills_per_match: s.avg_kills_per_match,
          avg_survival_ms: s.avg_survival_ms,
          headshot_ratio: s.headshot_ratio,
          last_seen: s.last_seen,
        };
      });
      return { ...empty, players: total, qualifying, rows };
    },

    async player(game, playerId, maxWindows) {
      const who = { game_id: { $eq: game }, player_id: { $eq: playerId } };
      const [doc, recent] = await Promise.all([
        players.findOne(who, { projection: projectionOf(PLAYER_STATS_FIELDS, "updated_at") }),
        windows
          .find(
            { ...who, first_seen: { $ne: null } },
            {
              projection: {
                _id: 0,
                window_start: 1,
                window_end: 1,
                kills: 1,
                deaths: 1,
                kd_ratio: 1,
                avg_survival_ms: 1,
              },
            },
          )
          .sort({ window_start: -1 })
          .limit(maxWindows)
          .toArray(),
      ]);
      const now = clock();
      const points = recent
        .map((w) => {
          const s = playerStatsOf(w);
          return {
            ...bounds(w, now),
            kills: s.kills,
            deaths: s.deaths,
            kd_ratio: s.kd_ratio,
            avg_survival_ms: s.avg_survival_ms,
          };
        })
        .reverse();
      const stats = doc === null ? null : { ...playerStatsOf(doc), updated_at: ms(doc.updated_at) };
      return { game, player_id: playerId, stats, windows: points };
    },

    async matches(requested, limit) {
      const game = await gameOr(requested);
      if (game === null) return { game, matches: [] };
      const docs = await matches
        .find({ game_id: { $eq: game } }, { projection: MATCH_PROJECTION })
        .sort([
          ["start", -1],
          ["match_id", 1],
        ])
        .limit(limit)
        .toArray();
      const now = clock();
      const last = await lastEvents(
        game,
        docs.map((d) => str(d.match_id) ?? ""),
      );
      return {
        game,
        matches: docs.map((d) => matchRow(d, now, last.get(str(d.match_id) ?? "") ?? null)),
      };
    },

    async match(game, matchId) {
      const [doc, board] = await Promise.all([
        matches.findOne(
          { game_id: { $eq: game }, match_id: { $eq: matchId } },
          { projection: MATCH_PROJECTION },
        ),
        matchPlayers
          .find(
            { game_id: { $eq: game }, match_id: { $eq: matchId } },
            { projection: projectionOf(PLAYER_STATS_FIELDS, "player_id") },
          )
          .sort([
            ["kills", -1],
            ["deaths", 1],
            ["player_id", 1],
          ])
          .limit(SCOREBOARD_LIMIT)
          .toArray(),
      ]);
      const scoreboard: MatchPlayerRow[] = board.map((d) => ({
        ...playerStatsOf(d),
        player_id: str(d.player_id) ?? "",
      }));
      const lastEvent = scoreboard.reduce<number | null>(
        (max, p) => (p.last_seen === null ? max : Math.max(max ?? p.last_seen, p.last_seen)),
        null,
      );
      return { game, match: doc === null ? null : matchRow(doc, clock(), lastEvent), scoreboard };
    },

    async servers(requested, server, maxWindows) {
      const game = await gameOr(requested);
      if (game === null) return { game, servers: [], server: null, points: [], comparison: [] };
      const ids = ((await servers.distinct("server_id", { game_id: { $eq: game } })) as unknown[])
        .filter((s): s is string => typeof s === "string")
        .sort();
      const chosen = server !== null && ids.includes(server) ? server : (ids[0] ?? null);
      const now = clock();
      const [docs, latest] = await Promise.all([
        chosen === null
          ? []
          : servers
              .find({ game_id: { $eq: game }, server_id: { $eq: chosen } }, { projection: SERVER_PROJECTION })
              .sort({ window_start: -1 })
              .limit(maxWindows)
              .toArray(),
        // Each server's latest ended window: one indexed findOne per server.
        Promise.all(
          ids
            .slice(0, COMPARISON_LIMIT)
            .map((id) =>
              servers.findOne(
                { game_id: { $eq: game }, server_id: { $eq: id }, window_end: { $lte: new Date(now) } },
                { projection: SERVER_PROJECTION, sort: { window_start: -1 } },
              ),
            ),
        ),
      ]);
      const points = docs.map((d) => serverPoint(d, now)).reverse();
      const comparison: ServerComparisonRow[] = latest
        .filter((d) => d !== null)
        .map((d) => ({ ...serverPoint(d, now), server_id: str(d.server_id) ?? "" }))
        .sort(
          (a, b) =>
            (a.fps?.p1 ?? Infinity) - (b.fps?.p1 ?? Infinity) || a.server_id.localeCompare(b.server_id),
        );
      return { game, servers: ids, server: chosen, points, comparison };
    },
  };
}
