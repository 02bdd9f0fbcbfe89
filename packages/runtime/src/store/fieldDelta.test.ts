import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { changedFields } from "./fieldDelta.js";

describe("changedFields", () => {
  it("keeps only what changed, comparing dates, arrays and objects by content", () => {
    const written = {
      player_id: "p1",
      kills: 3,
      kd: Number.NaN,
      first_seen: new Date(5),
      tags: ["a", "b"],
      nested: { x: 1 },
      gone: null,
    };
    const next = {
      player_id: "p1",
      kills: 4,
      kd: Number.NaN,
      first_seen: new Date(5),
      tags: ["a", "c"],
      nested: { x: 1 },
      gone: 0,
      added: true,
    };
    expect(changedFields(next, written)).toEqual({ kills: 4, tags: ["a", "c"], gone: 0, added: true });
  });

  it("asks for a whole write when a field was dropped", () => {
    expect(changedFields({ a: 1 }, { a: 1, b: 2 })).toBeNull();
  });

  it("applied on top of what was written, gives the next fields for any two documents", () => {
    const value = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string({ maxLength: 3 }),
      fc.constant(null),
      fc.integer({ min: 0, max: 3 }).map((n) => new Date(n)),
      fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
    );
    const doc = fc.dictionary(fc.constantFrom("a", "b", "c", "d"), value);
    fc.assert(
      fc.property(doc, doc, (written, next) => {
        const changed = changedFields(next, written);
        if (changed === null) return;
        expect({ ...written, ...changed }).toEqual(next);
      }),
    );
  });
});
