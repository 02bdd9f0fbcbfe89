import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEventUnknown, decodeEventWithSchema } from "./Decode.js";
import { TelemetryEventSchema } from "./Event.js";
import { makeDecoder } from "./internal/decoder.js";
import { apply, clone, inputArb, pathArb, validEventArb, valueArb } from "./testing/decodeArbitraries.js";

const interpreted = makeDecoder(TelemetryEventSchema, "interpreted");

describe("the fast decoders agree with Effect's decoder of the same schema", () => {
  it("on accept/reject, the decoded event and the error", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const effect = decodeEventWithSchema(input);
        expect(decodeEventUnknown(input)).toEqual(effect);
        expect(interpreted.decodeUnknown(input)).toEqual(effect);
      }),
      { numRuns: 1500 },
    );
  });

  it("report the same error path for inputs with one fault", () => {
    fc.assert(
      fc.property(validEventArb, pathArb, valueArb, fc.boolean(), (generated, path, value, remove) => {
        const event = clone(generated);
        apply(event, { path, value, remove });
        const effect = decodeEventWithSchema(event);
        expect(decodeEventUnknown(event)).toEqual(effect);
        expect(interpreted.decodeUnknown(event)).toEqual(effect);
      }),
      { numRuns: 1500 },
    );
  });

  it("accept every generated valid event unchanged (minus unknown fields)", () => {
    fc.assert(
      fc.property(validEventArb, (event) => {
        const r = decodeEventUnknown(event);
        expect(r).toEqual({ ok: true, event });
      }),
      { numRuns: 500 },
    );
  });
});
