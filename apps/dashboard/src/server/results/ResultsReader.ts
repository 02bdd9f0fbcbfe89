import type { CollectionNames } from "@gametel/runtime";
import type { Db, Document, Filter, Sort } from "mongodb";
import type {
  LeaderboardRow,
  LeaderboardSort,
  LeaderboardView,
  MatchRow,
  MatchView,
  MatchesView,
  MetricSummaryView,
  PlayerStatsView,
  PlayerView,
  ServerPoint,
  ServersView,
  WindowPoint,
} from "../api/ViewTypes.js";

/**
 * The dashboard's queries over what the processors write. Reads only (find, countDocuments, distinct): the
 * dashboard is meant to run with a MongoDB user that has the `read` role and nothing else.
 */
export interface ResultsReader {
  games(): Promise<readonly string[]>;
  leaderboard(game: string | null, sort: LeaderboardSort, q: string, limit: number): Promise<LeaderboardView>;
  player(game: string, playerId: string, maxWindows: number): Promise<PlayerView>;
  matches(game: string | null, limit: number): Promise<MatchesView>;
  match(game: string, matchId: string): Promise<MatchView>;
  servers(game: string | null, server: string | null, maxWindows: number): Promise<ServersView>;
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const numOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const ms = (v: unknown): number | null => (v instanceof Date ? v.getTime() : null);
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

function playerStats(doc: Document): PlayerStatsView {
  return {
    kills: num(doc.kills),
    deaths: num(doc.deaths),
    headshot_kills: num(doc.headshot_kills),
    headshot_ratio: num(doc.headshot_ratio),
    kd_ratio: num(doc.kd_ratio),
    matches: num(doc.matches),
    avg_kills_per_match: num(doc.avg_kills_per_match),
    lives_completed: num(doc.lives_completed),
    avg_survival_ms: numOrNull(doc.avg_survival_ms),
    shots: num(doc.shots),
    hits: num(doc.hits),
    damage_dealt: num(doc.damage_dealt),
    first_seen: ms(doc.first_seen),
    last_seen: ms(doc.last_seen),
    updated_at: ms(doc.updated_at),
  };
}

function matchRow(doc: Document): MatchRow {
  const top = doc.top_killer as Document | null | undefined;
  return {
    match_id: str(doc.match_id) ?? "",
    start: ms(doc.start),
    end: ms(doc.end),
    duration_ms: numOrNull(doc.duration_ms),
    map: str(doc.map),
    mode: str(doc.mode),
    winning_team: str(doc.winning_team),
    players: num(doc.players),
    kills: num(doc.kills),
    top_killer:
      top && typeof top.player_id === "string" ? { player_id: top.player_id, kills: num(top.kills) } : null,
  };
}

function summary(v: unknown): MetricSummaryView | null {
  if (v === null || typeof v !== "object") return null;
  const s = v as Document;
  return {
    count: num(s.count),
    min: num(s.min),
    max: num(s.max),
    p50: num(s.p50),
    p95: num(s.p95),
    p99: num(s.p99),
  };
}

const MATCH_PROJECTION = { _id: 0, _parts: 0, _rev: 0, _merged_rev: 0 } as const;

export function createResultsReader(db: Db, collections: CollectionNames): ResultsReader {
  const players = db.collection(collections.playerStats);
  const windows = db.collection(collections.playerWindows);
  const matches = db.collection(collections.matchStats);
  const servers = db.collection(collections.serverPerf);

  const games = async () =>
    ((await players.distinct("game_id")) as unknown[])
      .filter((g): g is string => typeof g === "string")
      .sort();
  const gameOr = async (game: string | null) => game ?? (await games())[0] ?? null;

  return {
    games,

    async leaderboard(requested, sort, q, limit) {
      const game = await gameOr(requested);
      if (game === null) return { game, sort, q, players: 0, rows: [] };
      const filter: Filter<Document> = { game_id: { $eq: game } };
      if (q.length > 0) filter.player_id = { $regex: escapeRegex(q), $options: "i" };
      // Players without a completed life have no survival time: they do not rank on it.
      if (sort === "avg_survival_ms") filter.avg_survival_ms = { $ne: null };
      const order: Sort = [
        [sort, -1],
        ["player_id", 1],
      ];
      const [docs, total] = await Promise.all([
        players
          .find(filter, {
            projection: {
              _id: 0,
              player_id: 1,
              kills: 1,
              deaths: 1,
              kd_ratio: 1,
              matches: 1,
              avg_kills_per_match: 1,
              avg_survival_ms: 1,
              headshot_ratio: 1,
              last_seen: 1,
            },
          })
          .sort(order)
          .limit(limit)
          .toArray(),
        players.countDocuments({ game_id: { $eq: game } }),
      ]);
      const rows: LeaderboardRow[] = docs.map((doc, i) => ({
        rank: i + 1,
        player_id: str(doc.player_id) ?? "",
        kills: num(doc.kills),
        deaths: num(doc.deaths),
        kd_ratio: num(doc.kd_ratio),
        matches: num(doc.matches),
        avg_kills_per_match: num(doc.avg_kills_per_match),
        avg_survival_ms: numOrNull(doc.avg_survival_ms),
        headshot_ratio: num(doc.headshot_ratio),
        last_seen: ms(doc.last_seen),
      }));
      return { game, sort, q, players: total, rows };
    },

    async player(game, playerId, maxWindows) {
      const who = { game_id: { $eq: game }, player_id: { $eq: playerId } };
      const [doc, recent] = await Promise.all([
        players.findOne(who, { projection: { _state: 0, _partition: 0, _offset: 0 } }),
        windows
          .find(
            { ...who, first_seen: { $ne: null } },
            { projection: { _id: 0, window_start: 1, kills: 1, deaths: 1, kd_ratio: 1, avg_survival_ms: 1 } },
          )
          .sort({ window_start: -1 })
          .limit(maxWindows)
          .toArray(),
      ]);
      const points: WindowPoint[] = recent
        .map((w) => ({
          window_start: ms(w.window_start) ?? 0,
          kills: num(w.kills),
          deaths: num(w.deaths),
          kd_ratio: num(w.kd_ratio),
          avg_survival_ms: numOrNull(w.avg_survival_ms),
        }))
        .reverse();
      return { game, player_id: playerId, stats: doc === null ? null : playerStats(doc), windows: points };
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
      return { game, matches: docs.map(matchRow) };
    },

    async match(game, matchId) {
      const doc = await matches.findOne(
        { game_id: { $eq: game }, match_id: { $eq: matchId } },
        { projection: MATCH_PROJECTION },
      );
      return { game, match: doc === null ? null : matchRow(doc) };
    },

    async servers(requested, server, maxWindows) {
      const game = await gameOr(requested);
      if (game === null) return { game, servers: [], server: null, points: [] };
      const ids = ((await servers.distinct("server_id", { game_id: { $eq: game } })) as unknown[])
        .filter((s): s is string => typeof s === "string")
        .sort();
      const chosen = server !== null && ids.includes(server) ? server : (ids[0] ?? null);
      if (chosen === null) return { game, servers: ids, server: null, points: [] };
      const docs = await servers
        .find(
          { game_id: { $eq: game }, server_id: { $eq: chosen } },
          { projection: { _id: 0, window_start: 1, count: 1, ping_ms: 1, fps: 1, frame_time_ms: 1 } },
        )
        .sort({ window_start: -1 })
        .limit(maxWindows)
        .toArray();
      const points: ServerPoint[] = docs
        .map((d) => ({
          window_start: ms(d.window_start) ?? 0,
          count: num(d.count),
          ping_ms: summary(d.ping_ms),
          fps: summary(d.fps),
          frame_time_ms: summary(d.frame_time_ms),
        }))
        .reverse();
      return { game, servers: ids, server: chosen, points };
    },
  };
}
