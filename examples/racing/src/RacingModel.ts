/**
 * The racing game as a gametel stream model: what `runProcessorMain({ model })` runs on either engine. Two
 * aggregations, one of each kind:
 * - `lapStats` (keyed): LapStats per player in `racing_lap_stats`, owned by the player's partition;
 * - `raceStats` (merged): LapStats over all players of a race in `racing_race_stats`, merged from every partition's
 *   part (players of one race sit on different partitions).
 */
import { deduplicator, tumblingWindow, windowFor } from "@gametel/core";
import type { StreamModel } from "@gametel/runtime";
import { RacingEvents, type RacingEvent } from "./Events.js";
import { lapStatsReducer, type LapStats } from "./LapStats.js";

export interface RacingModelOptions {
  /** Window that decides lateness (default 5 minutes) and its grace (default 60 s). */
  readonly windowSizeMs?: number;
  readonly graceMs?: number;
  /** Records larger than this are dead-lettered (default 64 KiB). */
  readonly maxEventBytes?: number;
}

export const RACING_COLLECTIONS = {
  lapStats: "racing_lap_stats",
  raceStats: "racing_race_stats",
} as const;

const lapFields = (stats: LapStats): Record<string, unknown> => ({ ...stats });

export function racingModel(options: RacingModelOptions = {}): StreamModel<RacingEvent> {
  const spec = tumblingWindow(
    options.windowSizeMs,
    options.graceMs === undefined ? {} : { graceMs: options.graceMs },
  );
  const decodeOptions = options.maxEventBytes === undefined ? {} : { maxBytes: options.maxEventBytes };
  return {
    name: "racing",
    decode(value) {
      const result = RacingEvents.decode(value, decodeOptions);
      return result.ok ? result : { ok: false, reason: result.error.reason, path: result.error.path };
    },
    key: (event) => RacingEvents.partitionKey(event),
    eventTime: (event) => event.event_time,
    dedup: { deduplicator: deduplicator(), eventId: (event) => event.event_id },
    lateness: { window: (eventTime) => windowFor(eventTime, spec), graceMs: spec.graceMs },
    aggregations: [
      {
        name: "lapStats",
        owner: "key",
        collection: RACING_COLLECTIONS.lapStats,
        reducer: lapStatsReducer,
        fields: lapFields,
        target: (event, key) =>
          event.player_id === null
            ? null
            : { id: key, identity: { game_id: event.game_id, player_id: event.player_id } },
        indexes: [{ key: { game_id: 1, best_lap_ms: 1 }, name: "game_best_lap" }],
      },
      {
        name: "raceStats",
        owner: "partitions",
        collection: RACING_COLLECTIONS.raceStats,
        reducer: lapStatsReducer,
        fields: lapFields,
        target: (event) =>
          event.match_id === null
            ? null
            : {
                id: `${event.game_id}:${event.match_id}`,
                identity: { game_id: event.game_id, race_id: event.match_id },
              },
      },
    ],
  };
}
