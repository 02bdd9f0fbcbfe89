import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ActionQueue } from "./ActionQueue.js";

describe("ActionQueue", () => {
  it("pops by time, and in push order for equal times, for any pushes", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = new ActionQueue<number>();
        times.forEach((time, i) => queue.push(time, i));
        const popped: { time: number; action: number }[] = [];
        for (let item = queue.pop(); item !== undefined; item = queue.pop()) popped.push(item);
        const expected = times
          .map((time, i) => ({ time, action: i }))
          .sort((a, b) => a.time - b.time || a.action - b.action);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it("reports its size and next time", () => {
    const queue = new ActionQueue<string>();
    expect(queue.peekTime()).toBeUndefined();
    queue.push(5, "b");
    queue.push(2, "a");
    expect(queue.size).toBe(2);
    expect(queue.peekTime()).toBe(2);
  });
});
