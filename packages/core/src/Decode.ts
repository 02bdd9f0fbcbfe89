/**
 * Decoding wire-format-v1 events: bytes or parsed values in, a validated `TelemetryEvent` or a precise
 * `DecodeError` out. Never throws.
 *
 * @module Decode
 */
import { TelemetryEvents, type TelemetryEvent } from "./Event.js";
import { DEFAULT_MAX_EVENT_BYTES } from "./internal/decoder.js";

export { DEFAULT_MAX_EVENT_BYTES };

/**
 * Why an input was rejected. `path` names the offending field (`"data.position.x"`, `"event_time"`,
 * `data["a.b"]` for keys that are not identifiers) or is `""` for the whole record (size, UTF-8, JSON).
 *
 * @example
 * import { decodeEvent } from "@gametel/core";
 * const r = decodeEvent("{");
 * if (!r.ok) console.log(r.error.path, r.error.reason); // "" "malformed JSON: ..."
 */
export interface DecodeError {
  readonly path: string;
  readonly reason: string;
}

/**
 * The outcome of decoding one event.
 *
 * @example
 * import { decodeEvent, type DecodeResult } from "@gametel/core";
 * const r: DecodeResult = decodeEvent(bytes);
 * const key = r.ok ? r.event.game_id : "dead-letter";
 */
export type DecodeResult<E = TelemetryEvent> =
  { readonly ok: true; readonly event: E } | { readonly ok: false; readonly error: DecodeError };

/**
 * Options of `decodeEvent`.
 *
 * @example
 * import { decodeEvent } from "@gametel/core";
 * decodeEvent(bytes, { maxBytes: 16 * 1024 });
 */
export interface DecodeOptions {
  /** Largest accepted input in UTF-8 bytes; default `DEFAULT_MAX_EVENT_BYTES` (65536). */
  readonly maxBytes?: number;
}

/**
 * Decodes one event from UTF-8 bytes or a JSON string. Bytes within the size limit go through a byte scanner
 * generated from `TelemetryEventSchema` first; whatever it does not handle itself (escapes, unknown keys,
 * invalid input, …) and strings take the general path: size limit, strict UTF-8, `JSON.parse`, then the
 * validator compiled from the same schema. Both give the same result. Unknown extra fields are dropped;
 * missing optional ids become `null`. Never throws.
 *
 * @example
 * import { decodeEvent, partitionKey } from "@gametel/core";
 * const r = decodeEvent(message.value);
 * if (r.ok) handle(partitionKey(r.event), r.event);
 * else deadLetter(r.error.path, r.error.reason);
 */
export const decodeEvent: (input: Uint8Array | string, options?: DecodeOptions) => DecodeResult =
  TelemetryEvents.decode;

/**
 * Validates an already-parsed value (e.g. a MongoDB document with `_id` removed) with the same rules as
 * `decodeEvent`. Never throws.
 *
 * @example
 * import { decodeEventUnknown } from "@gametel/core";
 * const { _id, ...doc } = mongoDocument;
 * const r = decodeEventUnknown(doc);
 */
export const decodeEventUnknown: (value: unknown) => DecodeResult = TelemetryEvents.decodeUnknown;

/**
 * The reference decoder: Effect's own `ParseResult` decoding of `TelemetryEventSchema`, with the same
 * result type and error paths as `decodeEventUnknown` (about 10× slower; for tests and tooling).
 *
 * @example
 * import { decodeEventUnknown, decodeEventWithSchema } from "@gametel/core";
 * decodeEventWithSchema(value).ok === decodeEventUnknown(value).ok; // true
 */
export const decodeEventWithSchema: (value: unknown) => DecodeResult = TelemetryEvents.decodeWithSchema;
