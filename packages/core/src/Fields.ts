/**
 * Field schemas of wire format v1, shared by every event type (core and extension types alike).
 * Each carries a `description` annotation: decode errors read `expected <description>`.
 *
 * @module Fields
 */
import { Schema } from "effect";
import { FastPredicateId } from "./internal/annotations.js";
import { isIdString, isUuidString } from "./internal/predicates.js";

/** A filter whose predicate the fast decoder may call directly. */
const check = <A>(predicate: (a: A) => boolean, description: string) =>
  Schema.filter<Schema.Schema<A>>((a) => predicate(a), { description, [FastPredicateId]: predicate });

/**
 * Largest accepted `event_time`: 9999-12-31T23:59:59.999Z in Unix epoch milliseconds.
 *
 * @example
 * import { MAX_EVENT_TIME } from "@gametel/core";
 * new Date(MAX_EVENT_TIME).toISOString(); // "9999-12-31T23:59:59.999Z"
 */
export const MAX_EVENT_TIME = 253402300799999;

/**
 * Longest accepted free-text label (`map`, `weapon`, `cause`, ...), in UTF-16 code units.
 *
 * @example
 * import { MAX_LABEL_LENGTH } from "@gametel/core";
 * const weapon = name.slice(0, MAX_LABEL_LENGTH);
 */
export const MAX_LABEL_LENGTH = 128;

/**
 * Longest accepted identifier (`game_id`, `player_id`, ...).
 *
 * @example
 * import { MAX_ID_LENGTH } from "@gametel/core";
 * playerId.length <= MAX_ID_LENGTH;
 */
export const MAX_ID_LENGTH = 64;

/**
 * `event_id`: a UUID in its canonical 8-4-4-4-12 hex form (any version, either case).
 *
 * @example
 * import { Schema } from "effect";
 * import { EventId } from "@gametel/core";
 * Schema.is(EventId)("0190f5a2-3b4c-7d8e-9f01-23456789abcd"); // true
 */
export const EventId = Schema.String.pipe(check(isUuidString, "a UUID (8-4-4-4-12 hex digits)"));

/**
 * Identifier (`game_id`, `server_id`, `match_id`, `player_id`, `session_id`, `victim_id`, ...):
 * 1–64 characters of `A-Z a-z 0-9 _ . : -`.
 *
 * @example
 * import { Schema } from "effect";
 * import { Id } from "@gametel/core";
 * Schema.is(Id)("eu-west:srv-7"); // true
 * Schema.is(Id)("has space"); // false
 */
export const Id = Schema.String.pipe(
  check((s: string) => isIdString(s, MAX_ID_LENGTH), "an id of 1-64 characters from A-Z a-z 0-9 _ . : -"),
);

/**
 * Free-text label (`platform`, `map`, `weapon`, `cause`, ...): a string of 1–128 UTF-16 code units.
 *
 * @example
 * import { Schema } from "effect";
 * import { Label } from "@gametel/core";
 * Schema.is(Label)("rocket launcher"); // true
 */
export const Label = Schema.String.pipe(
  check((s: string) => s.length >= 1 && s.length <= MAX_LABEL_LENGTH, "a string of 1-128 characters"),
);

/**
 * `event_time`: an integer number of Unix epoch milliseconds in `[0, MAX_EVENT_TIME]`.
 *
 * @example
 * import { Schema } from "effect";
 * import { EventTime } from "@gametel/core";
 * Schema.is(EventTime)(1732760000123); // true
 * Schema.is(EventTime)(1.5); // false
 */
export const EventTime = Schema.Number.pipe(
  check(
    (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_EVENT_TIME,
    "an integer epoch time in milliseconds",
  ),
);

/**
 * Any finite number (rejects `NaN` and `±Infinity`, which JSON can smuggle in as `1e999`).
 *
 * @example
 * import { Schema } from "effect";
 * import { FiniteNumber } from "@gametel/core";
 * Schema.is(FiniteNumber)(-3.5); // true
 */
export const FiniteNumber = Schema.Number.pipe(check((n: number) => Number.isFinite(n), "a finite number"));

/**
 * A finite number ≥ 0 (`damage`, `distance_m`, `ping_ms`, `frame_time_ms`).
 *
 * @example
 * import { Schema } from "effect";
 * import { NonNegativeNumber } from "@gametel/core";
 * Schema.is(NonNegativeNumber)(0); // true
 */
export const NonNegativeNumber = Schema.Number.pipe(
  check((n: number) => Number.isFinite(n) && n >= 0, "a finite number >= 0"),
);

/**
 * A finite number > 0 (`fps`).
 *
 * @example
 * import { Schema } from "effect";
 * import { PositiveNumber } from "@gametel/core";
 * Schema.is(PositiveNumber)(0); // false
 */
export const PositiveNumber = Schema.Number.pipe(
  check((n: number) => Number.isFinite(n) && n > 0, "a finite number > 0"),
);

/**
 * A number in `[0, 1]` (`packet_loss`).
 *
 * @example
 * import { Schema } from "effect";
 * import { Fraction } from "@gametel/core";
 * Schema.is(Fraction)(0.02); // true
 */
export const Fraction = Schema.Number.pipe(
  check((n: number) => n >= 0 && n <= 1, "a number between 0 and 1"),
);

/**
 * `data.life`: a safe integer ≥ 1 numbering a player's lives within one match.
 *
 * @example
 * import { Schema } from "effect";
 * import { Life } from "@gametel/core";
 * Schema.is(Life)(1); // true
 */
export const Life = Schema.Number.pipe(
  check((n: number) => Number.isSafeInteger(n) && n >= 1, "an integer >= 1"),
);

/**
 * A position in game-world coordinates: `{ x, y, z }`, each a finite number.
 *
 * @example
 * import { Schema } from "effect";
 * import { Position } from "@gametel/core";
 * Schema.is(Position)({ x: 1, y: 2, z: 0 }); // true
 */
export const Position = Schema.Struct({ x: FiniteNumber, y: FiniteNumber, z: FiniteNumber });

/**
 * A nullable identifier that may be omitted; decoding fills `null` for a missing key.
 *
 * @example
 * import { Schema } from "effect";
 * import { OptionalId } from "@gametel/core";
 * const S = Schema.Struct({ session_id: OptionalId });
 * Schema.decodeUnknownSync(S)({}); // { session_id: null }
 */
export const OptionalId = Schema.optionalWith(Schema.NullOr(Id), { exact: true, default: () => null });

/**
 * A nullable label that may be omitted; decoding fills `null` for a missing key (`winning_team`).
 *
 * @example
 * import { Schema } from "effect";
 * import { OptionalLabel } from "@gametel/core";
 * Schema.decodeUnknownSync(Schema.Struct({ winning_team: OptionalLabel }))({}); // { winning_team: null }
 */
export const OptionalLabel = Schema.optionalWith(Schema.NullOr(Label), { exact: true, default: () => null });

/**
 * Absent-or-null field for scopes that have no player or match: decodes to `null`, rejects any other value.
 *
 * @example
 * import { Schema } from "effect";
 * import { AbsentId } from "@gametel/core";
 * Schema.decodeUnknownSync(Schema.Struct({ player_id: AbsentId }))({}); // { player_id: null }
 */
export const AbsentId = Schema.optionalWith(Schema.Null, { exact: true, default: () => null });
