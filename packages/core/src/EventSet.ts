/**
 * The extension API: event types on the v1 envelope, and event sets that decode them.
 * `@gametel/core` defines its own types with it (see `Event.ts`); another game adds its types the same way.
 *
 * @module EventSet
 */
import { Schema } from "effect";
import type { DecodeOptions, DecodeResult } from "./Decode.js";
import { AbsentId, EventId, EventTime, Id, OptionalId } from "./Fields.js";
import { makeDecoder } from "./internal/decoder.js";
import { FastPredicateId, SafeKeysId } from "./internal/annotations.js";
import { findUnsafeKey, hasOnlySafeKeys, UNSAFE_KEY_MESSAGE } from "./internal/safeKeys.js";

/**
 * The only envelope version this package reads and writes.
 *
 * @example
 * import { EVENT_VERSION } from "@gametel/core";
 * const envelope = { event_version: EVENT_VERSION };
 */
export const EVENT_VERSION = 1;

/**
 * Which envelope ids an event type requires, and so its partition key:
 * - `player`: `player_id` required, `match_id` optional (`session_start`); key `game_id:player_id`.
 * - `player_match`: `player_id` and `match_id` required (`player_kill`); key `game_id:player_id`.
 * - `match`: `match_id` required, `player_id` absent or null (`match_start`); key `game_id:match_id`.
 * - `server`: neither required (`perf_sample`); key `game_id:server_id`.
 *
 * @example
 * import type { EventScope } from "@gametel/core";
 * const scope: EventScope = "player_match";
 */
export type EventScope = "player" | "player_match" | "match" | "server";

/**
 * All scopes, in documentation order.
 *
 * @example
 * import { EVENT_SCOPES } from "@gametel/core";
 * EVENT_SCOPES.includes("server"); // true
 */
export const EVENT_SCOPES: ReadonlyArray<EventScope> = ["player", "player_match", "match", "server"];

/**
 * Envelope fields every event type shares (Effect Schema struct fields).
 *
 * @example
 * import type { BaseEnvelopeFields } from "@gametel/core";
 * type Tag = BaseEnvelopeFields<"lap_completed">["event_type"];
 */
export type BaseEnvelopeFields<T extends string> = {
  readonly event_id: typeof EventId;
  readonly event_type: Schema.Literal<[T]>;
  readonly event_version: Schema.Literal<[1]>;
  readonly event_time: typeof EventTime;
  readonly game_id: typeof Id;
  readonly server_id: typeof Id;
};

/**
 * Envelope id fields per scope (Effect Schema struct fields).
 *
 * @example
 * import type { ScopeEnvelopeFields } from "@gametel/core";
 * type MatchIds = ScopeEnvelopeFields["match"];
 */
export type ScopeEnvelopeFields = {
  readonly player: {
    readonly match_id: typeof OptionalId;
    readonly player_id: typeof Id;
    readonly session_id: typeof OptionalId;
  };
  readonly player_match: {
    readonly match_id: typeof Id;
    readonly player_id: typeof Id;
    readonly session_id: typeof OptionalId;
  };
  readonly match: {
    readonly match_id: typeof Id;
    readonly player_id: typeof AbsentId;
    readonly session_id: typeof OptionalId;
  };
  readonly server: {
    readonly match_id: typeof OptionalId;
    readonly player_id: typeof OptionalId;
    readonly session_id: typeof OptionalId;
  };
};

/**
 * The Effect Schema struct fields of one event type of scope `S`: envelope + `data`.
 *
 * @example
 * import type { Schema } from "effect";
 * import type { EventFields } from "@gametel/core";
 * type F = EventFields<"horn_honked", "player_match", Schema.Struct<{}>>;
 */
export type EventFields<
  T extends string,
  S extends EventScope,
  D extends Schema.Schema.AnyNoContext,
> = BaseEnvelopeFields<T> & ScopeEnvelopeFields[S] & { readonly data: D };

/**
 * The Effect Schema struct of one event type (envelope for scope `S` + `data`), as `defineEvent` returns it.
 *
 * @example
 * import type { Schema } from "effect";
 * import type { EventStruct } from "@gametel/core";
 * type Honk = Schema.Schema.Type<EventStruct<"horn_honked", "player_match", Schema.Struct<{}>>>;
 */
export type EventStruct<
  T extends string,
  S extends EventScope,
  D extends Schema.Schema.AnyNoContext,
> = S extends "player"
  ? Schema.Struct<BaseEnvelopeFields<T> & ScopeEnvelopeFields["player"] & { readonly data: D }>
  : S extends "player_match"
    ? Schema.Struct<BaseEnvelopeFields<T> & ScopeEnvelopeFields["player_match"] & { readonly data: D }>
    : S extends "match"
      ? Schema.Struct<BaseEnvelopeFields<T> & ScopeEnvelopeFields["match"] & { readonly data: D }>
      : Schema.Struct<BaseEnvelopeFields<T> & ScopeEnvelopeFields["server"] & { readonly data: D }>;

/**
 * One event type: its `event_type` literal, its scope and its Effect Schema.
 *
 * @example
 * import { Schema } from "effect";
 * import { defineEvent, type EventDefinition } from "@gametel/core";
 * const Honk: EventDefinition = defineEvent("horn_honked", "player_match", Schema.Struct({}));
 */
export interface EventDefinition<
  T extends string = string,
  S extends EventScope = EventScope,
  Sch extends Schema.Schema.Any = Schema.Schema.Any,
> {
  readonly type: T;
  readonly scope: S;
  readonly schema: Sch;
}

/**
 * The decoded form every event shares (snake_case as on the wire; missing optional ids become `null`).
 *
 * @example
 * import type { EventEnvelope } from "@gametel/core";
 * const keyOf = (e: EventEnvelope) => `${e.game_id}:${e.player_id ?? e.server_id}`;
 */
export interface EventEnvelope {
  readonly event_id: string;
  readonly event_type: string;
  readonly event_version: 1;
  readonly event_time: number;
  readonly game_id: string;
  readonly server_id: string;
  readonly match_id: string | null;
  readonly player_id: string | null;
  readonly session_id: string | null;
  readonly data: unknown;
}

const scopeFields = {
  player: { match_id: OptionalId, player_id: Id, session_id: OptionalId },
  player_match: { match_id: Id, player_id: Id, session_id: OptionalId },
  match: { match_id: Id, player_id: AbsentId, session_id: OptionalId },
  server: { match_id: OptionalId, player_id: OptionalId, session_id: OptionalId },
} as const;

const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Defines an event type on the v1 envelope. `data` is the Effect Schema of its `data` object
 * (use `Schema.Struct`; unknown keys are dropped on decode).
 *
 * @throws {TypeError} when `type` is not 1–64 chars of `a-z 0-9 _` starting with a letter, or `scope` is unknown.
 * @example
 * import { Schema } from "effect";
 * import { defineEvent, NonNegativeNumber } from "@gametel/core";
 * const LapCompleted = defineEvent("lap_completed", "player_match", Schema.Struct({ lap: Schema.Number, lap_time_ms: NonNegativeNumber }));
 * LapCompleted.type; // "lap_completed"
 */
export const defineEvent = <
  const T extends string,
  const S extends EventScope,
  D extends Schema.Schema.AnyNoContext,
>(
  type: T,
  scope: S,
  data: D,
): EventDefinition<T, S, EventStruct<T, S, D>> => {
  if (!EVENT_TYPE_PATTERN.test(type)) {
    throw new TypeError(`event type "${type}" must be 1-64 characters of a-z 0-9 _ starting with a letter`);
  }
  if (!Object.hasOwn(scopeFields, scope)) {
    throw new TypeError(
      `event type "${type}": unknown scope "${String(scope)}", expected one of ${EVENT_SCOPES.join(", ")}`,
    );
  }
  const fields = {
    event_id: EventId,
    event_type: Schema.Literal(type),
    event_version: Schema.Literal(EVENT_VERSION),
    event_time: EventTime,
    game_id: Id,
    server_id: Id,
    ...scopeFields[scope],
    data,
  };
  return { type, scope, schema: Schema.Struct(fields) as unknown as EventStruct<T, S, D> };
};

/**
 * The decoded event type of a list of definitions.
 *
 * @example
 * import { CORE_EVENT_DEFINITIONS, type EventOf } from "@gametel/core";
 * type Core = EventOf<typeof CORE_EVENT_DEFINITIONS>;
 */
export type EventOf<Defs extends ReadonlyArray<EventDefinition>> = Schema.Schema.Type<Defs[number]["schema"]>;

/**
 * A closed set of event types with its decoders and partition key.
 * `decode`/`decodeUnknown` are the fast path; `decodeWithSchema` runs Effect's own decoder over the same
 * schema and returns the same result (kept as the reference; the test suite checks they agree).
 *
 * @example
 * import { TelemetryEvents } from "@gametel/core";
 * const r = TelemetryEvents.decode('{"event_type":"nope"}');
 * r.ok; // false
 */
export interface EventSet<E extends EventEnvelope> {
  readonly definitions: ReadonlyArray<EventDefinition>;
  /** The `event_type` values, in definition order. */
  readonly types: ReadonlyArray<E["event_type"]>;
  /** Effect Schema of one event: the key guard, then the union of the definitions. */
  readonly schema: Schema.Schema<E, unknown>;
  /** Bytes or text → validated event. Never throws. */
  decode(input: Uint8Array | string, options?: DecodeOptions): DecodeResult<E>;
  /** Already-parsed value (e.g. a MongoDB document without `_id`) → validated event. Never throws. */
  decodeUnknown(value: unknown): DecodeResult<E>;
  /** Same contract as `decodeUnknown`, through Effect's `ParseResult` decoder (slower; the reference). */
  decodeWithSchema(value: unknown): DecodeResult<E>;
  /** `game_id:player_id` (player scopes), `game_id:match_id` (match scope), `game_id:server_id` (server scope). */
  partitionKey(event: E): string;
  /** The scope of an event type of this set, or `undefined`. */
  scopeOf(eventType: string): EventScope | undefined;
}

/**
 * Schema of "a JSON document whose keys are safe for MongoDB": no key, at any depth, starts with `$` or contains `.`.
 *
 * @example
 * import { Schema } from "effect";
 * import { SafeDocument } from "@gametel/core";
 * Schema.is(SafeDocument)({ data: { $where: 1 } }); // false
 */
export const SafeDocument = Schema.Unknown.pipe(
  Schema.filter(
    (value) => {
      const unsafe = findUnsafeKey(value);
      return unsafe === undefined ? true : { path: unsafe.path, message: UNSAFE_KEY_MESSAGE };
    },
    {
      description: "a document without keys starting with '$' or containing '.'",
      [SafeKeysId]: true,
      [FastPredicateId]: (value: unknown) =>
        typeof value !== "object" || value === null || hasOnlySafeKeys(value),
    },
  ),
);

/**
 * Builds an event set from definitions (core's, an extension's, or both).
 *
 * @throws {TypeError} when two definitions share an `event_type`, or the list is empty.
 * @example
 * import { Schema } from "effect";
 * import { CORE_EVENT_DEFINITIONS, defineEvent, defineEventSet } from "@gametel/core";
 * const Honk = defineEvent("horn_honked", "player_match", Schema.Struct({}));
 * const Events = defineEventSet([...CORE_EVENT_DEFINITIONS, Honk]);
 * Events.types.includes("horn_honked"); // true
 */
export const defineEventSet = <const Defs extends ReadonlyArray<EventDefinition>>(
  definitions: Defs,
): EventSet<EventOf<Defs> & EventEnvelope> => {
  type E = EventOf<Defs> & EventEnvelope;
  if (definitions.length === 0) throw new TypeError("an event set needs at least one event definition");
  const scopes = new Map<string, EventScope>();
  for (const def of definitions) {
    if (scopes.has(def.type)) throw new TypeError(`event type "${def.type}" is defined twice`);
    scopes.set(def.type, def.scope);
  }
  const union = Schema.Union(...definitions.map((d) => d.schema));
  const schema = Schema.compose(SafeDocument, union, { strict: false }) as unknown as Schema.Schema<
    E,
    unknown
  >;
  const decoder = makeDecoder<E>(schema);
  const partitionKey = (event: E): string => {
    switch (scopes.get(event.event_type)) {
      case "player":
      case "player_match":
        return `${event.game_id}:${event.player_id}`;
      case "match":
        return `${event.game_id}:${event.match_id}`;
      default:
        return `${event.game_id}:${event.server_id}`;
    }
  };
  return {
    definitions,
    types: definitions.map((d) => d.type) as ReadonlyArray<E["event_type"]>,
    schema,
    decode: decoder.decode,
    decodeUnknown: decoder.decodeUnknown,
    decodeWithSchema: decoder.decodeWithSchema,
    partitionKey,
    scopeOf: (eventType) => scopes.get(eventType),
  };
};
