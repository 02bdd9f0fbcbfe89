/**
 * Wire format v1: the core event types, their decoded TypeScript types and the partition key.
 *
 * @module Event
 */
import { Schema } from "effect";
import { defineEvent, defineEventSet } from "./EventSet.js";
import {
  Fraction,
  Id,
  Label,
  Life,
  NonNegativeNumber,
  OptionalId,
  OptionalLabel,
  PositiveNumber,
  Position,
} from "./Fields.js";

const optionalLabel = Schema.optionalWith(Label, { exact: true });
const optionalNumber = <S extends Schema.Schema<number>>(s: S) => Schema.optionalWith(s, { exact: true });

/**
 * `session_start` (player scope): `data` = `{ platform, region, client_version }`.
 *
 * @example
 * import { SessionStart } from "@gametel/core";
 * SessionStart.scope; // "player"
 */
export const SessionStart = defineEvent(
  "session_start",
  "player",
  Schema.Struct({ platform: Label, region: Label, client_version: Label }),
);

/**
 * `session_end` (player scope): `data` = `{ reason? }`.
 *
 * @example
 * import { SessionEnd } from "@gametel/core";
 * SessionEnd.type; // "session_end"
 */
export const SessionEnd = defineEvent("session_end", "player", Schema.Struct({ reason: optionalLabel }));

/**
 * `match_start` (match scope, no player): `data` = `{ map, mode }`.
 *
 * @example
 * import { MatchStart } from "@gametel/core";
 * MatchStart.scope; // "match"
 */
export const MatchStart = defineEvent("match_start", "match", Schema.Struct({ map: Label, mode: Label }));

/**
 * `match_end` (match scope, no player): `data` = `{ winning_team }` (string or null; missing reads as null).
 *
 * @example
 * import { MatchEnd } from "@gametel/core";
 * MatchEnd.type; // "match_end"
 */
export const MatchEnd = defineEvent("match_end", "match", Schema.Struct({ winning_team: OptionalLabel }));

/**
 * `player_spawn` (player + match): `data` = `{ life, team?, position }`; `life` ≥ 1 numbers the player's
 * lives in that match.
 *
 * @example
 * import { PlayerSpawn } from "@gametel/core";
 * PlayerSpawn.scope; // "player_match"
 */
export const PlayerSpawn = defineEvent(
  "player_spawn",
  "player_match",
  Schema.Struct({ life: Life, team: optionalLabel, position: Position }),
);

/**
 * `player_move` (player + match): `data` = `{ life, position }`.
 *
 * @example
 * import { PlayerMove } from "@gametel/core";
 * PlayerMove.type; // "player_move"
 */
export const PlayerMove = defineEvent(
  "player_move",
  "player_match",
  Schema.Struct({ life: Life, position: Position }),
);

/**
 * `shot_fired` (player + match): `data` = `{ weapon }`.
 *
 * @example
 * import { ShotFired } from "@gametel/core";
 * ShotFired.type; // "shot_fired"
 */
export const ShotFired = defineEvent("shot_fired", "player_match", Schema.Struct({ weapon: Label }));

/**
 * `player_hit` (player + match; the player is the shooter): `data` = `{ target_id, weapon, damage ≥ 0, headshot }`.
 *
 * @example
 * import { PlayerHit } from "@gametel/core";
 * PlayerHit.type; // "player_hit"
 */
export const PlayerHit = defineEvent(
  "player_hit",
  "player_match",
  Schema.Struct({ target_id: Id, weapon: Label, damage: NonNegativeNumber, headshot: Schema.Boolean }),
);

/**
 * `player_kill` (player + match; the player is the killer): `data` = `{ victim_id, weapon, headshot, distance_m? }`.
 *
 * @example
 * import { PlayerKill } from "@gametel/core";
 * PlayerKill.type; // "player_kill"
 */
export const PlayerKill = defineEvent(
  "player_kill",
  "player_match",
  Schema.Struct({
    victim_id: Id,
    weapon: Label,
    headshot: Schema.Boolean,
    distance_m: optionalNumber(NonNegativeNumber),
  }),
);

/**
 * `player_death` (player + match; the player is the victim): `data` = `{ life, killer_id, cause }`
 * (`killer_id` string or null; missing reads as null).
 *
 * @example
 * import { PlayerDeath } from "@gametel/core";
 * PlayerDeath.type; // "player_death"
 */
export const PlayerDeath = defineEvent(
  "player_death",
  "player_match",
  Schema.Struct({ life: Life, killer_id: OptionalId, cause: Label }),
);

/**
 * `perf_sample` (server scope, player optional): `data` has at least one of `fps` (> 0), `frame_time_ms` (≥ 0),
 * `ping_ms` (≥ 0), `packet_loss` (0..1).
 *
 * @example
 * import { PerfSample } from "@gametel/core";
 * PerfSample.scope; // "server"
 */
export const PerfSample = defineEvent(
  "perf_sample",
  "server",
  Schema.Struct({
    fps: optionalNumber(PositiveNumber),
    frame_time_ms: optionalNumber(NonNegativeNumber),
    ping_ms: optionalNumber(NonNegativeNumber),
    packet_loss: optionalNumber(Fraction),
  }).pipe(
    Schema.filter(
      (d) =>
        d.fps !== undefined ||
        d.frame_time_ms !== undefined ||
        d.ping_ms !== undefined ||
        d.packet_loss !== undefined,
      { description: "at least one of fps, frame_time_ms, ping_ms, packet_loss" },
    ),
  ),
);

/**
 * The core event definitions of wire format v1, in documentation order. Spread them into
 * `defineEventSet` to extend the format with a game's own types.
 *
 * @example
 * import { CORE_EVENT_DEFINITIONS } from "@gametel/core";
 * CORE_EVENT_DEFINITIONS.length; // 11
 */
export const CORE_EVENT_DEFINITIONS = [
  SessionStart,
  SessionEnd,
  MatchStart,
  MatchEnd,
  PlayerSpawn,
  PlayerMove,
  ShotFired,
  PlayerHit,
  PlayerKill,
  PlayerDeath,
  PerfSample,
] as const;

/**
 * The core event set: decoders and partition key for wire format v1.
 *
 * @example
 * import { TelemetryEvents } from "@gametel/core";
 * TelemetryEvents.scopeOf("perf_sample"); // "server"
 */
export const TelemetryEvents = defineEventSet(CORE_EVENT_DEFINITIONS);

/**
 * A decoded `session_start` event.
 *
 * @example
 * import type { SessionStartEvent } from "@gametel/core";
 * const at = (e: SessionStartEvent) => e.event_time;
 */
export type SessionStartEvent = typeof SessionStart.schema.Type;
/**
 * A decoded `session_end` event.
 *
 * @example
 * import type { SessionEndEvent } from "@gametel/core";
 * const at = (e: SessionEndEvent) => e.event_time;
 */
export type SessionEndEvent = typeof SessionEnd.schema.Type;
/**
 * A decoded `match_start` event.
 *
 * @example
 * import type { MatchStartEvent } from "@gametel/core";
 * const at = (e: MatchStartEvent) => e.event_time;
 */
export type MatchStartEvent = typeof MatchStart.schema.Type;
/**
 * A decoded `match_end` event.
 *
 * @example
 * import type { MatchEndEvent } from "@gametel/core";
 * const at = (e: MatchEndEvent) => e.event_time;
 */
export type MatchEndEvent = typeof MatchEnd.schema.Type;
/**
 * A decoded `player_spawn` event.
 *
 * @example
 * import type { PlayerSpawnEvent } from "@gametel/core";
 * const at = (e: PlayerSpawnEvent) => e.event_time;
 */
export type PlayerSpawnEvent = typeof PlayerSpawn.schema.Type;
/**
 * A decoded `player_move` event.
 *
 * @example
 * import type { PlayerMoveEvent } from "@gametel/core";
 * const at = (e: PlayerMoveEvent) => e.event_time;
 */
export type PlayerMoveEvent = typeof PlayerMove.schema.Type;
/**
 * A decoded `shot_fired` event.
 *
 * @example
 * import type { ShotFiredEvent } from "@gametel/core";
 * const at = (e: ShotFiredEvent) => e.event_time;
 */
export type ShotFiredEvent = typeof ShotFired.schema.Type;
/**
 * A decoded `player_hit` event.
 *
 * @example
 * import type { PlayerHitEvent } from "@gametel/core";
 * const at = (e: PlayerHitEvent) => e.event_time;
 */
export type PlayerHitEvent = typeof PlayerHit.schema.Type;
/**
 * A decoded `player_kill` event.
 *
 * @example
 * import type { PlayerKillEvent } from "@gametel/core";
 * const at = (e: PlayerKillEvent) => e.event_time;
 */
export type PlayerKillEvent = typeof PlayerKill.schema.Type;
/**
 * A decoded `player_death` event.
 *
 * @example
 * import type { PlayerDeathEvent } from "@gametel/core";
 * const at = (e: PlayerDeathEvent) => e.event_time;
 */
export type PlayerDeathEvent = typeof PlayerDeath.schema.Type;
/**
 * A decoded `perf_sample` event.
 *
 * @example
 * import type { PerfSampleEvent } from "@gametel/core";
 * const at = (e: PerfSampleEvent) => e.event_time;
 */
export type PerfSampleEvent = typeof PerfSample.schema.Type;

/**
 * A decoded wire-format-v1 event: a union discriminated on `event_type`, with the wire's snake_case names.
 *
 * @example
 * import type { TelemetryEvent } from "@gametel/core";
 * const damage = (e: TelemetryEvent) => (e.event_type === "player_hit" ? e.data.damage : 0);
 */
export type TelemetryEvent =
  | SessionStartEvent
  | SessionEndEvent
  | MatchStartEvent
  | MatchEndEvent
  | PlayerSpawnEvent
  | PlayerMoveEvent
  | ShotFiredEvent
  | PlayerHitEvent
  | PlayerKillEvent
  | PlayerDeathEvent
  | PerfSampleEvent;

/**
 * The `event_type` values of wire format v1.
 *
 * @example
 * import type { EventType } from "@gametel/core";
 * const t: EventType = "player_kill";
 */
export type EventType = TelemetryEvent["event_type"];

/**
 * All `event_type` values of wire format v1, in documentation order.
 *
 * @example
 * import { EVENT_TYPES } from "@gametel/core";
 * EVENT_TYPES.includes("perf_sample"); // true
 */
export const EVENT_TYPES: ReadonlyArray<EventType> = CORE_EVENT_DEFINITIONS.map((d) => d.type);

/**
 * Effect Schema of one wire-format-v1 event (key guard, then the union of the core types): the single
 * source of truth that the fast decoder is compiled from.
 *
 * @example
 * import { Schema } from "effect";
 * import { TelemetryEventSchema } from "@gametel/core";
 * const decode = Schema.decodeUnknownEither(TelemetryEventSchema);
 */
export const TelemetryEventSchema: Schema.Schema<TelemetryEvent, unknown> = TelemetryEvents.schema;

/**
 * The Kafka record key of an event: `game_id:player_id` for player events, `game_id:match_id` for
 * `match_start`/`match_end`, `game_id:server_id` for `perf_sample`.
 *
 * @example
 * import { decodeEvent, partitionKey } from "@gametel/core";
 * const r = decodeEvent(bytes);
 * if (r.ok) producer.send({ key: partitionKey(r.event), value: bytes });
 */
export const partitionKey = (event: TelemetryEvent): string => {
  switch (event.event_type) {
    case "match_start":
    case "match_end":
      return `${event.game_id}:${event.match_id}`;
    case "perf_sample":
      return `${event.game_id}:${event.server_id}`;
    default:
      return `${event.game_id}:${event.player_id}`;
  }
};

const CORE_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * Narrows a decoded event of an extended event set to a core `TelemetryEvent` (by its `event_type`), so
 * the core reducers can consume a game's mixed stream.
 *
 * @example
 * import { isTelemetryEvent, playerStatsReducer } from "@gametel/core";
 * if (isTelemetryEvent(racingEvent)) state = playerStatsReducer.reduce(state, racingEvent);
 */
export const isTelemetryEvent = <E extends { readonly event_type: string }>(
  event: E,
): event is E & TelemetryEvent => CORE_TYPES.has(event.event_type);
