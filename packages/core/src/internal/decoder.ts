/** Builds the decode functions of an event set from its schema: bytes → JSON → compiled validator. */
import { Either, ParseResult, type Schema } from "effect";
import type { DecodeOptions, DecodeResult } from "../Decode.js";
import { generate } from "./codegen.js";
import { compile, FAIL, failure, type Parser } from "./compile.js";
import { fromIssue } from "./issue.js";
import { formatPath } from "./path.js";
import { generateScanner } from "./scanCodegen.js";
import { unionPlanOf } from "./scanPlan.js";
import { decodeUtf8, utf8Length } from "./utf8.js";

/**
 * Default largest accepted event: 64 KiB of UTF-8.
 *
 * @example
 * import { decodeEvent, DEFAULT_MAX_EVENT_BYTES } from "@gametel/core";
 * decodeEvent(bytes, { maxBytes: 2 * DEFAULT_MAX_EVENT_BYTES });
 */
export const DEFAULT_MAX_EVENT_BYTES = 65536;

export interface Decoder<E> {
  decode(input: Uint8Array | string, options?: DecodeOptions): DecodeResult<E>;
  decodeUnknown(value: unknown): DecodeResult<E>;
  decodeWithSchema(value: unknown): DecodeResult<E>;
}

/**
 * An accepted result, built by a constructor rather than an object literal: V8 pretenures literal
 * allocation sites whose objects tend to survive (a caller keeping a batch of results), which made every
 * later result an old-space allocation and validation ~40% slower. The prototype is `Object.prototype`:
 * the results are plain objects.
 */
function Accepted<E>(this: { ok: true; event: E }, event: E) {
  this.ok = true;
  this.event = event;
}
Accepted.prototype = Object.prototype;
const accepted = <E>(event: E): DecodeResult<E> =>
  new (Accepted as unknown as new (event: E) => { readonly ok: true; readonly event: E })(event);

const rejected = (path: string, reason: string) => ({ ok: false as const, error: { path, reason } });

const tooLarge = (size: string, max: number) =>
  rejected("", `event is ${size} bytes, over the limit of ${max} bytes`);

/** `generated`: code-generated validator (default, falls back to `interpreted` if unavailable). */
export type ValidatorMode = "generated" | "interpreted";

/**
 * `byteScanner`: decode bytes with the schema-guided byte scanner first (default) and take the general
 * path (UTF-8 → `JSON.parse` → validator) only where it gives up; `false` always takes the general path.
 */
export const makeDecoder = <E>(
  schema: Schema.Schema<E, unknown>,
  mode: ValidatorMode = "generated",
  byteScanner = true,
): Decoder<E> => {
  const parse: Parser = (mode === "generated" ? generate(schema.ast) : undefined) ?? compile(schema.ast);
  const effectDecode = ParseResult.decodeUnknownEither(schema);

  const decodeUnknown = (value: unknown): DecodeResult<E> => {
    try {
      const r = parse(value);
      if (r !== FAIL) return accepted(r as E);
      return rejected(formatPath(failure.path), failure.reason);
    } catch (e) {
      return rejected("", `invalid input: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const decodeGeneral = (input: Uint8Array | string, options?: DecodeOptions): DecodeResult<E> => {
    const maxBytes = options?.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
    let text: string;
    if (typeof input === "string") {
      // A UTF-16 code unit is at most 3 UTF-8 bytes: only count exactly near the limit.
      if (input.length > maxBytes) return tooLarge(`at least ${input.length}`, maxBytes);
      if (input.length * 3 > maxBytes) {
        const size = utf8Length(input);
        if (size > maxBytes) return tooLarge(String(size), maxBytes);
      }
      text = input;
    } else {
      if (input.byteLength > maxBytes) return tooLarge(String(input.byteLength), maxBytes);
      const decoded = decodeUtf8(input);
      if (decoded === undefined) return rejected("", "malformed UTF-8");
      text = decoded;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return rejected("", `malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    return decodeUnknown(value);
  };

  const decodeWithSchema = (value: unknown): DecodeResult<E> => {
    try {
      const r = effectDecode(value);
      if (Either.isRight(r)) return { ok: true, event: r.right };
      const e = fromIssue(r.left);
      return rejected(formatPath(e.path), e.reason);
    } catch (e) {
      return rejected("", `invalid input: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  // The byte scanner, generated per decoder, wraps the general path: one call for the common case.
  let decode = decodeGeneral;
  try {
    const plan = byteScanner ? unionPlanOf(schema.ast) : undefined;
    const scanner = plan && generateScanner(plan, decodeGeneral, DEFAULT_MAX_EVENT_BYTES);
    if (scanner !== undefined) decode = scanner.decode as typeof decodeGeneral;
  } catch {
    decode = decodeGeneral;
  }

  return { decode, decodeUnknown, decodeWithSchema };
};
