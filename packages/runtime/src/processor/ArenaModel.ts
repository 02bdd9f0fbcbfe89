/**
 * Arena, gametel's own shooter, declared as a stream model: every insight it maintains is one entry of
 * `aggregations`. Adding an insight means adding its core reducer and one entry here (see the `weaponKills` entry).
 */
import {
  decodeEvent,
  deduplicator,
  matchStatsReducer,
  partitionKey,
  playerStatsReducer,
  serverPerfReducer,
  killWeapon,
  tumblingWindow,
  weaponKillsReducer,
  windowFor,
  windowedPlayerStats,
} from "@gametel/core";
import type { DedupOptions, MatchStats, PlayerStats, TelemetryEvent } from "@gametel/core";
import type { StreamModel, Window } from "./StreamModel.js";

/** Arena's insight collections by aggregation name (configurable; these are the documented defaults). */
export interface ArenaCollections {
  /** One document per (game_id, player_id): all-time PlayerStats. */
  readonly playerStats: string;
  /** One document per player and tumbling window: windowed PlayerStats. */
  readonly playerWindows: string;
  /** One document per match: MatchStats merged from per-partition parts. */
  readonly matchStats: string;
  /** One document per server and window: ServerPerf merged from per-partition parts. */
  readonly serverPerf: string;
  /** One document per (match, player): the player's PlayerStats within the match (the scoreboard). */
  readonly matchPlayers: string;
  /** One document per (player, weapon): kills and headshot kills with that weapon. */
  readonly weaponKills: string;
}

export const ARENA_COLLECTIONS: ArenaCollections = {
  playerStats: "player_stats",
  playerWindows: "player_stats_5m",
  matchStats: "match_stats",
  serverPerf: "server_perf_5m",
  matchPlayers: "match_players",
  weaponKills: "weapon_kills",
};

export interface ArenaModelOptions {
  /** Tumbling window size (default 5 minutes). */
  readonly windowSizeMs?: number;
  /** Grace after a window's end (default 60 s). */
  readonly graceMs?: number;
  /** Records larger than this are dead-lettered (default 64 KiB). */
  readonly maxEventBytes?: number;
  readonly dedup?: DedupOptions;
  /** Collection names by aggregation (defaults: ARENA_COLLECTIONS). */
  readonly collections?: Partial<ArenaCollections>;
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/** PlayerStats as stored: every field, times as BSON dates. */
export function playerStatsFields(stats: PlayerStats): Record<string, unknown> {
  return { ...stats, first_seen: date(stats.first_seen), last_seen: date(stats.last_seen) };
}

/** MatchStats as stored: every field, times as BSON dates. */
export function matchStatsFields(stats: MatchStats): Record<string, unknown> {
  return { ...stats, start: date(stats.start), end: date(stats.end) };
}

/** `_id` of a player window document: the player key and the window start in epoch ms. */
export const windowId = (key: string, window: Window): string => `${key}|${window.start}`;

const PLAYER_SCOPED = new Set(["match_start", "match_end", "perf_sample"]);

/** The player an event updates (game_id, player_id), if any: its documents are keyed by the record key. */
const playerOf = (event: TelemetryEvent): Record<string, unknown> | null =>
  PLAYER_SCOPED.has(event.event_type) || event.player_id === null
    ? null
    : { game_id: event.game_id, player_id: event.player_id };

const windowFields = (window: Window) => ({
  window_start: new Date(window.start),
  window_end: new Date(window.end),
});

/**
 * Arena's insights: windowed and all-time PlayerStats per player, each player's stats per match (the scoreboard)
 * and kills per player and weapon (all keyed by the player: one writer each), MatchStats per match and ServerPerf
 * per server window (merged from every partition's part).
 */
export function arenaModel(options: ArenaModelOptions = {}): StreamModel<TelemetryEvent> {
  const spec = tumblingWindow(
    options.windowSizeMs,
    options.graceMs === undefined ? {} : { graceMs: options.graceMs },
  );
  const windowed = windowedPlayerStats(spec);
  const decodeOptions = options.maxEventBytes === undefined ? {} : { maxBytes: options.maxEventBytes };
  const names: ArenaCollections = { ...ARENA_COLLECTIONS, ...options.collections };
  return {
    name: "arena",
    decode(value) {
      const result = decodeEvent(value, decodeOptions);
      return result.ok ? result : { ok: false, reason: result.error.reason, path: result.error.path };
    },
    key: partitionKey,
    eventTime: (event) => event.event_time,
    dedup: { deduplicator: deduplicator(options.dedup), eventId: (event) => event.event_id },
    lateness: { window: (eventTime) => windowFor(eventTime, spec), graceMs: spec.graceMs },
    aggregations: [
      {
        name: "playerWindows",
        owner: "key",
        collection: names.playerWindows,
        reducer: playerStatsReducer,
        fields: playerStatsFields,
        // A life counts in the window of its death: a spawn is context for later windows (core's WindowedReducer).
        windows: {
          windowsOf: (event) => windowed.windowsOf(event),
          reduceIn: (state, event, window) => windowed.reduce(state, event, window),
        },
        target: (event, key, window) => {
          const player = playerOf(event);
          return player === null || window === null
            ? null
            : { id: windowId(key, window), identity: { ...player, ...windowFields(window) } };
        },
        indexes: [
          { key: { game_id: 1, player_id: 1, window_start: 1 }, name: "game_player_window" },
          { key: { game_id: 1, window_start: 1, kills: -1 }, name: "game_window_kills" },
        ],
      },
      {
        name: "matchStats",
        owner: "partitions",
        collection: names.matchStats,
        reducer: matchStatsReducer,
        fields: matchStatsFields,
        target: (event) =>
          event.match_id === null || event.event_type === "perf_sample"
            ? null
            : {
                id: `${event.game_id}:${event.match_id}`,
                identity: { game_id: event.game_id, match_id: event.match_id },
              },
        indexes: [{ key: { game_id: 1, match_id: 1 }, name: "game_match" }],
      },
      {
        name: "serverPerf",
        owner: "partitions",
        collection: names.serverPerf,
        reducer: serverPerfReducer,
        // Each sample goes into its own window; late samples change no closed window.
        windows: {},
        target: (event, window) =>
          event.event_type !== "perf_sample" || window === null
            ? null
            : {
                id: `${event.game_id}:${event.server_id}|${window.start}`,
                identity: { game_id: event.game_id, server_id: event.server_id, ...windowFields(window) },
              },
        indexes: [{ key: { game_id: 1, server_id: 1, window_start: 1 }, name: "game_server_window" }],
      },
      {
        name: "playerStats",
        owner: "key",
        collection: names.playerStats,
        reducer: playerStatsReducer,
        fields: playerStatsFields,
        target: (event, key) => {
          const player = playerOf(event);
          return player === null ? null : { id: key, identity: player };
        },
        indexes: [
          { key: { game_id: 1, kd_ratio: -1 }, name: "game_kd_ratio" },
          { key: { game_id: 1, kills: -1 }, name: "game_kills" },
          { key: { game_id: 1, player_id: 1 }, name: "game_player" },
        ],
      },
      {
        // The match scoreboard: a player's stats within one match (owned by the player's partition).
        name: "matchPlayers",
        owner: "key",
        collection: names.matchPlayers,
        reducer: playerStatsReducer,
        fields: playerStatsFields,
        target: (event, key) => {
          const player = playerOf(event);
          return player === null || event.match_id === null
            ? null
            : {
                id: `${event.game_id}:${event.match_id}|${key}`,
                identity: { ...player, match_id: event.match_id },
              };
        },
        indexes: [{ key: { game_id: 1, match_id: 1, kills: -1 }, name: "game_match_kills" }],
      },
      {
        // Kills per weapon and player: the example of adding an insight (a core reducer and this entry).
        name: "weaponKills",
        owner: "key",
        collection: names.weaponKills,
        reducer: weaponKillsReducer,
        target: (event, key) => {
          const weapon = killWeapon(event);
          return weapon === null
            ? null
            : {
                id: `${key}|${weapon}`,
                identity: { game_id: event.game_id, player_id: event.player_id, weapon },
              };
        },
        indexes: [{ key: { game_id: 1, weapon: 1, kills: -1 }, name: "game_weapon_kills" }],
      },
    ],
    output: {
      aggregation: "playerStats",
      value: (state) => JSON.stringify(playerStatsReducer.result(state as never)),
    },
  };
}
