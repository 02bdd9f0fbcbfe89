/**
 * The racing game's own event types, on the same v1 envelope as the core types, and the event set that
 * decodes core and racing events together.
 */
import { CORE_EVENT_DEFINITIONS, defineEvent, defineEventSet, type EventOf, Label } from "@gametel/core";
import { Schema } from "effect";

/** Whole milliseconds ≥ 0 (Effect's own filters: the fast decoder runs them too). */
const Millis = Schema.Number.pipe(Schema.int(), Schema.nonNegative());
/** A 1-based counter (lap number, finishing position). */
const Ordinal = Schema.Number.pipe(Schema.int(), Schema.greaterThanOrEqualTo(1));

/** `lap_completed` (player + match = race): one lap of the track. */
export const LapCompleted = defineEvent(
  "lap_completed",
  "player_match",
  Schema.Struct({ lap: Ordinal, lap_time_ms: Millis, track: Label }),
);

/** `checkpoint_passed` (player + match): a split time inside a lap. */
export const CheckpointPassed = defineEvent(
  "checkpoint_passed",
  "player_match",
  Schema.Struct({
    lap: Ordinal,
    checkpoint: Schema.Number.pipe(Schema.int(), Schema.nonNegative()),
    split_ms: Millis,
  }),
);

/** `race_finished` (player + match): the player's final position and total time. */
export const RaceFinished = defineEvent(
  "race_finished",
  "player_match",
  Schema.Struct({ position: Ordinal, total_time_ms: Millis }),
);

const definitions = [...CORE_EVENT_DEFINITIONS, LapCompleted, CheckpointPassed, RaceFinished] as const;

/** Core and racing events: `RacingEvents.decode(bytes)`, `RacingEvents.partitionKey(event)`. */
export const RacingEvents = defineEventSet(definitions);

/** A decoded core or racing event. */
export type RacingEvent = EventOf<typeof definitions>;
