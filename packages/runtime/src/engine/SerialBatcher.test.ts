import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SerialBatcher } from "./SerialBatcher.js";

describe("SerialBatcher", () => {
  it("sends every item exactly once, one send at a time, in arrival order, never splitting a group, for any arrival pattern", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.array(fc.integer(), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 8 }),
        async (s, groups, maxItems) => {
          const sends: number[][] = [];
          let inFlight = 0;
          let overlapped = false;
          const batcher = new SerialBatcher<number>(async (items) => {
            inFlight++;
            if (inFlight > 1) overlapped = true;
            sends.push([...items]);
            await s.schedule(Promise.resolve(), "send");
            inFlight--;
          }, maxItems);
          const tagged = groups.map((g, i) => g.map((_, j) => i * 100 + j));
          const adds = tagged.map((g, i) =>
            s.schedule(Promise.resolve(), `add ${i}`).then(() => batcher.add(g)),
          );
          await s.waitFor(Promise.all(adds));
          expect(overlapped).toBe(false);
          expect(sends.flat().sort((a, b) => a - b)).toEqual(tagged.flat().sort((a, b) => a - b));
          for (const g of tagged) {
            const carrying = sends.filter((send) => send.includes(g[0]!));
            expect(carrying).toHaveLength(1);
            expect(g.every((item) => carrying[0]!.includes(item))).toBe(true);
          }
          for (const send of sends) {
            const groupsInSend = new Set(send.map((item) => Math.floor(item / 100)));
            if (groupsInSend.size > 1) expect(send.length).toBeLessThanOrEqual(maxItems);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("rejects the callers of a failed send only", async () => {
    let calls = 0;
    const batcher = new SerialBatcher<string>(async () => {
      calls++;
      if (calls === 1) throw new Error("broker gone");
    });
    await expect(batcher.add(["a"])).rejects.toThrow("broker gone");
    await expect(batcher.add(["b"])).resolves.toBeUndefined();
  });
});
