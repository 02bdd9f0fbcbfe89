/**
 * The byte scanner (the decoder's fast path for bytes) against the general path (UTF-8 → JSON.parse →
 * generated validator): for any input, same result, same error, same key order. The scanner may give up
 * on any input, but on plainly serialized valid events it must not (or it would never be used).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TelemetryEventSchema } from "./Event.js";
import { generateScanner } from "./internal/scanCodegen.js";
import { makeDecoder } from "./internal/decoder.js";
import { BAIL, unionPlanOf } from "./internal/scanPlan.js";
import { apply, clone, inputArb, pathArb, validEventArb, valueArb } from "./testing/decodeArbitraries.js";

const fast = makeDecoder(TelemetryEventSchema);
const general = makeDecoder(TelemetryEventSchema, "generated", false);
const scan = generateScanner(unionPlanOf(TelemetryEventSchema.ast)!, () => undefined, 65536)!.scan;
const utf8 = new TextEncoder();

/** Serialization choices for one rendering: whitespace, number spelling, string escapes, key order. */
interface Style {
  readonly space: ReadonlyArray<string>;
  readonly numberForm: number;
  readonly escape: number;
  readonly shuffle: number;
}

const styleArb: fc.Arbitrary<Style> = fc.record({
  space: fc.array(fc.constantFrom("", "", "", " ", "\n", "\t", "\r\n  "), { minLength: 1, maxLength: 8 }),
  numberForm: fc.nat(5),
  escape: fc.nat(4),
  shuffle: fc.nat(1000),
});

/** Equivalent JSON spellings of a number: all parse to the same double. */
const spellNumber = (n: number, form: number): string => {
  const plain = JSON.stringify(n);
  if (!Number.isFinite(n)) return plain;
  switch (form) {
    case 1:
      return n.toExponential();
    case 2:
      return Number.isInteger(n) && Math.abs(n) < 1e15 ? `${plain}.000` : plain;
    case 3:
      return n.toPrecision(17);
    case 4:
      return Object.is(n, -0) ? "-0" : plain;
    default:
      return plain;
  }
};

/** Equivalent JSON spellings of a string: plain, or with some characters as `\u` escapes. */
const spellString = (s: string, escape: number): string => {
  const plain = JSON.stringify(s);
  if (escape !== 1 || s.length === 0) return plain;
  const hex = s.charCodeAt(0).toString(16).padStart(4, "0");
  return `"\\u${hex}${JSON.stringify(s.slice(1)).slice(1)}`;
};

/** JSON text of `value` in `style`: valid JSON that `JSON.parse` reads back as the same value. */
const render = (value: unknown, style: Style, depth = 0): string => {
  let n = depth;
  const ws = () => style.space[n++ % style.space.length]!;
  if (typeof value === "number") return spellNumber(value, style.numberForm);
  if (typeof value === "string") return spellString(value, style.escape);
  if (Array.isArray(value))
    return `[${ws()}${value.map((v) => render(v, style, depth + 1)).join(`,${ws()}`)}${ws()}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (style.shuffle % 3 === 0) {
      // rotate: the tag can then come after data
      const k = style.shuffle % (entries.length || 1);
      entries.push(...entries.splice(0, k));
    }
    const body = entries.map(
      ([k, v]) => `${spellString(k, style.escape)}${ws()}:${ws()}${render(v, style, depth + 1)}`,
    );
    return `{${ws()}${body.join(`,${ws()}`)}${ws()}}`;
  }
  return JSON.stringify(value) ?? "null";
};

const expectSameResult = (bytes: Uint8Array): void => {
  const expected = general.decode(bytes);
  const actual = fast.decode(bytes);
  expect(actual).toStrictEqual(expected);
  if (actual.ok && expected.ok) expect(JSON.stringify(actual.event)).toBe(JSON.stringify(expected.event));
  const scanned = scan(bytes);
  if (scanned !== BAIL) {
    expect(expected.ok).toBe(true);
    if (expected.ok) expect(scanned).toStrictEqual(expected.event);
  }
};

describe("the byte scanner returns what the general path returns", () => {
  it("scans plainly serialized valid events itself, with the general path's result and key order", () => {
    fc.assert(
      fc.property(validEventArb, (event) => {
        const bytes = utf8.encode(JSON.stringify(event));
        const scanned = scan(bytes);
        expect(scanned).not.toBe(BAIL);
        const expected = general.decode(bytes);
        expect(expected.ok && JSON.stringify(expected.event)).toBe(JSON.stringify(scanned));
        expect(scanned).toStrictEqual(expected.ok ? expected.event : undefined);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads numbers exactly like JSON.parse: decimals, doubles, integers, exponents", () => {
    const decimal = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.nat(8)).map(([m, k]) => m / 10 ** k);
    const number = fc.oneof(decimal, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    fc.assert(
      fc.property(validEventArb, number, number, number, styleArb, (generated, x, y, z, style) => {
        const event = clone(generated);
        event["event_type"] = "player_move";
        event["match_id"] = "m1";
        event["player_id"] = "p1";
        event["data"] = { life: 1, position: { x, y, z } };
        expectSameResult(utf8.encode(render(event, style)));
        const scanned = scan(utf8.encode(JSON.stringify(event)));
        expect(scanned).not.toBe(BAIL);
        const data: unknown = JSON.parse(JSON.stringify({ life: 1, position: { x, y, z } }));
        expect((scanned as { data: unknown }).data).toStrictEqual(data);
      }),
      { numRuns: 3000 },
    );
  });

  it("for any spelling of a valid event: whitespace, key order, number forms, escapes", () => {
    fc.assert(
      fc.property(validEventArb, styleArb, (event, style) => {
        expectSameResult(utf8.encode(render(event, style)));
      }),
      { numRuns: 1500 },
    );
  });

  it("for mutated events: wrong types, missing, extra and unsafe keys", () => {
    fc.assert(
      fc.property(inputArb, styleArb, (event, style) => {
        expectSameResult(utf8.encode(render(event, style)));
      }),
      { numRuns: 1500 },
    );
  });

  it("for any field replaced by any value", () => {
    fc.assert(
      fc.property(validEventArb, pathArb, valueArb, fc.boolean(), (generated, path, value, remove) => {
        const event = clone(generated);
        apply(event, { path, value, remove });
        expectSameResult(utf8.encode(JSON.stringify(event)));
      }),
      { numRuns: 1500 },
    );
  });

  it("for byte-level corruption: flipped, inserted, deleted and truncated bytes", () => {
    fc.assert(
      fc.property(
        validEventArb,
        fc.array(fc.record({ at: fc.nat(), op: fc.nat(3), byte: fc.nat(255) }), {
          minLength: 1,
          maxLength: 3,
        }),
        (event, edits) => {
          let bytes = Array.from(utf8.encode(JSON.stringify(event)));
          for (const { at, op, byte } of edits) {
            const i = at % (bytes.length + 1);
            if (op === 0) bytes[Math.min(i, bytes.length - 1)] = byte;
            else if (op === 1) bytes.splice(i, 0, byte);
            else if (op === 2) bytes.splice(i, 1);
            else bytes = bytes.slice(0, i);
          }
          expectSameResult(Uint8Array.from(bytes));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("for any JSON text at all", () => {
    fc.assert(
      fc.property(fc.json(), (text) => expectSameResult(utf8.encode(text))),
      { numRuns: 1000 },
    );
  });
});
