import {
  decodeEvent,
  deduplicator,
  matchStatsReducer,
  partitionKey,
  playerStatsReducer,
  serverPerfReducer,
  tumblingWindow,
  windowFor,
  windowedPlayerStats,
} from "@gametel/core";
import type {
  DedupOptions,
  DedupState,
  JsonValue,
  MatchStats,
  MatchStatsState,
  PlayerStats,
  PlayerStatsState,
  ServerPerfState,
  StateCodec,
  TelemetryEvent,
} from "@gametel/core";
import type { StreamModel } from "./StreamModel.js";

export interface CoreModelOptions {
  /** Tumbling window size (default 5 minutes). */
  readonly windowSizeMs?: number;
  /** Grace after a window's end (default 60 s). */
  readonly graceMs?: number;
  /** Records larger than this are dead-lettered (default 64 KiB). */
  readonly maxEventBytes?: number;
  readonly dedup?: DedupOptions;
}

const toJson = <S>(codec: StateCodec<S>) => ({
  encode: (state: S): string => JSON.stringify(codec.encode(state)),
  decode: (encoded: string): S => codec.decode(JSON.parse(encoded) as JsonValue),
});

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/** PlayerStats as stored: every field, times as BSON dates. */
export function playerStatsFields(stats: PlayerStats): Record<string, unknown> {
  return { ...stats, first_seen: date(stats.first_seen), last_seen: date(stats.last_seen) };
}

/** MatchStats as stored: every field, times as BSON dates. */
export function matchStatsFields(stats: MatchStats): Record<string, unknown> {
  return { ...stats, start: date(stats.start), end: date(stats.end) };
}

const PLAYER_SCOPED = new Set(["match_start", "match_end", "perf_sample"]);

/**
 * gametel's domain bound to the loop: core's decoder, partition keys, Deduplicator, PlayerStats (all time and
 * windowed), MatchStats and ServerPerf reducers with their codecs.
 */
export function coreModel(
  options: CoreModelOptions = {},
): StreamModel<
  TelemetryEvent,
  DedupState,
  PlayerStatsState,
  PlayerStatsState,
  MatchStatsState,
  ServerPerfState
> {
  const spec = tumblingWindow(
    options.windowSizeMs,
    options.graceMs === undefined ? {} : { graceMs: options.graceMs },
  );
  const windowed = windowedPlayerStats(spec);
  const dedup = deduplicator(options.dedup);
  const decodeOptions = options.maxEventBytes === undefined ? {} : { maxBytes: options.maxEventBytes };
  const playerCodec = toJson(playerStatsReducer.codec);
  const dedupCodec = toJson(dedup.codec);
  return {
    decode(value) {
      const result = decodeEvent(value, decodeOptions);
      return result.ok ? result : { ok: false, reason: result.error.reason, path: result.error.path };
    },
    key: partitionKey,
    eventTime: (event) => event.event_time,
    dedup: {
      init: () => dedup.init(),
      admit: (state, event) => dedup.admit(state, event.event_id, event.event_time),
      ...dedupCodec,
    },
    player: (event) =>
      PLAYER_SCOPED.has(event.event_type) || event.player_id === null
        ? null
        : { game_id: event.game_id, player_id: event.player_id },
    playerStats: {
      init: () => playerStatsReducer.init(),
      reduce: (state, event) => playerStatsReducer.reduce(state, event),
      ...playerCodec,
      fields: (state) => playerStatsFields(playerStatsReducer.result(state)),
      output: (state) => JSON.stringify(playerStatsReducer.result(state)),
    },
    window: (eventTime) => windowFor(eventTime, spec),
    graceMs: spec.graceMs,
    playerWindow: {
      init: () => playerStatsReducer.init(),
      reduce: (state, event) => playerStatsReducer.reduce(state, event),
      ...playerCodec,
      windowsOf: (event) => windowed.windowsOf(event),
      reduceIn: (state, event, window) => windowed.reduce(state, event, window),
      fields: (state) => playerStatsFields(playerStatsReducer.result(state)),
    },
    match: (event) =>
      event.match_id === null || event.event_type === "perf_sample"
        ? null
        : {
            id: `${event.game_id}:${event.match_id}`,
            identity: { game_id: event.game_id, match_id: event.match_id },
          },
    matchStats: {
      init: () => matchStatsReducer.init(),
      reduce: (state, event) => matchStatsReducer.reduce(state, event),
      ...toJson(matchStatsReducer.codec),
      mergeFields: (states) =>
        matchStatsFields(matchStatsReducer.result(mergeAll(matchStatsReducer, states))),
    },
    server: (event, window) =>
      event.event_type !== "perf_sample"
        ? null
        : {
            id: `${event.game_id}:${event.server_id}|${window.start}`,
            identity: {
              game_id: event.game_id,
              server_id: event.server_id,
              window_start: new Date(window.start),
              window_end: new Date(window.end),
            },
          },
    serverPerf: {
      init: () => serverPerfReducer.init(),
      reduce: (state, event) => serverPerfReducer.reduce(state, event),
      ...toJson(serverPerfReducer.codec),
      mergeFields: (states) => ({ ...serverPerfReducer.result(mergeAll(serverPerfReducer, states)) }),
    },
  };
}

function mergeAll<S>(reducer: { init(): S; merge(a: S, b: S): S }, states: readonly S[]): S {
  let acc = reducer.init();
  for (const s of states) acc = reducer.merge(acc, s);
  return acc;
}
