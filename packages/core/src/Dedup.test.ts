import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deduplicator, type DedupState } from "./Dedup.js";
import { StateCodecError } from "./Reducer.js";
import { uuid } from "./testing/events.js";

describe("Deduplicator", () => {
  it("admits a new id once and recognises it in either case", () => {
    const d = deduplicator();
    const s = d.init();
    const id = "0190F5A2-3B4C-7D8E-9F01-23456789ABCD";
    expect(d.admit(s, id, 1)).toBe(true);
    expect(d.admit(s, id.toLowerCase(), 1)).toBe(false);
    expect(d.check(s, id, 1)).toBe(true);
    expect(d.check(s, uuid(5), 1)).toBe(false);
  });

  it("refuses bad bounds at once", () => {
    expect(() => deduplicator({ windowMs: 0 })).toThrow("windowMs");
    expect(() => deduplicator({ windowEvents: 10, maxEntries: 5 })).toThrow("maxEntries");
    expect(() => deduplicator().admit(deduplicator().init(), "nope", 1)).toThrow(TypeError);
  });

  it("forgets an id only when it is outside both the count and the time bound", () => {
    const d = deduplicator({ windowMs: 100, windowEvents: 3 });
    const s = d.init();
    d.add(s, uuid(1), 1_000);
    for (let i = 2; i <= 5; i++) d.add(s, uuid(i), 1_000 + i); // 4 newer ids, but all within 100 ms
    expect(d.check(s, uuid(1), 0)).toBe(true);
    d.add(s, uuid(6), 1_101); // now uuid(1) is 101 ms behind the newest and 5 ids back
    expect(d.check(s, uuid(1), 0)).toBe(false);
    expect(d.check(s, uuid(3), 0)).toBe(true); // 3 ids back: within the count bound
  });

  const streamArb = fc.array(
    fc.record({ id: fc.integer({ min: 0, max: 400 }), time: fc.integer({ min: 0, max: 5_000 }) }),
    { maxLength: 600 },
  );

  it("restore(entries(s), maxTime) rebuilds s exactly: the same memory and the same later decisions", () => {
    fc.assert(
      fc.property(streamArb, fc.nat({ max: 600 }), (stream, cutAt) => {
        const d = deduplicator({ windowMs: 300, windowEvents: 20, maxEntries: 40 });
        const live = d.init();
        const cut = Math.min(cutAt, stream.length);
        for (const { id, time } of stream.slice(0, cut)) d.admit(live, uuid(id), time);
        const rebuilt = d.restore(d.entries(live), live.maxTime === -Infinity ? null : live.maxTime);
        expect(d.codec.encode(rebuilt)).toEqual(d.codec.encode(live));
        for (const { id, time } of stream.slice(cut))
          expect(d.admit(rebuilt, uuid(id), time)).toBe(d.admit(live, uuid(id), time));
      }),
    );
  });

  it("never lets a duplicate within the bound count twice, and memory stays within maxEntries", () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.constantFrom(10, 50),
        fc.constantFrom(200, 1_000),
        fc.boolean(),
        (stream, windowEvents, windowMs, checkpoint) => {
          const d = deduplicator({ windowMs, windowEvents, maxEntries: windowEvents * 4 });
          let s: DedupState = d.init();
          const addedAt = new Map<number, { index: number; time: number }>();
          let added = 0;
          let maxTime = -Infinity;
          for (const [i, { id, time }] of stream.entries()) {
            if (checkpoint && i % 37 === 0) s = d.codec.decode(JSON.parse(JSON.stringify(d.codec.encode(s))));
            const original = addedAt.get(id);
            const admitted = d.admit(s, uuid(id), time);
            if (original !== undefined) {
              const between = added - original.index - 1;
              const inBound =
                between < d.maxEntries && (between < windowEvents || original.time >= maxTime - windowMs);
              if (inBound) expect(admitted).toBe(false);
            }
            if (admitted) {
              addedAt.set(id, { index: added++, time });
              maxTime = Math.max(maxTime, time);
            }
            expect(d.size(s)).toBeLessThanOrEqual(d.maxEntries);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("codec round-trips the decisions it would make", () => {
    fc.assert(
      fc.property(streamArb, streamArb, (first, second) => {
        const d = deduplicator({ windowMs: 500, windowEvents: 20, maxEntries: 60 });
        const s = d.init();
        for (const { id, time } of first) d.admit(s, uuid(id), time);
        const restored = d.codec.decode(JSON.parse(JSON.stringify(d.codec.encode(s))));
        expect(d.codec.encode(restored)).toEqual(d.codec.encode(s));
        for (const { id, time } of second)
          expect(d.admit(restored, uuid(id), time)).toBe(d.admit(s, uuid(id), time));
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    [{ v: 1, max_time: null, ids: "abc", dt: [1] }, "ids"],
    [{ v: 1, max_time: 5, ids: "g".repeat(32), dt: [1] }, "ids[0]"],
    [{ v: 1, max_time: 0, ids: "a".repeat(32), dt: [1] }, "max_time"],
    [{ v: 2, max_time: null, ids: "", dt: [] }, "v"],
  ])("rejects an invalid encoded state %j", (json, path) => {
    const d = deduplicator();
    expect(() => d.codec.decode(json)).toThrow(StateCodecError);
    try {
      d.codec.decode(json);
    } catch (e) {
      expect((e as StateCodecError).path).toBe(path);
    }
  });
});
