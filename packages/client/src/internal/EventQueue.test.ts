import { describe, expect, test } from "vitest";
import { EventQueue } from "./EventQueue.js";

const item = (n: number) => ({ event: { n }, json: `{"n":${n}}`, bytes: 7 });

describe("event queue", () => {
  test("FIFO, bounded: the oldest are dropped and returned", () => {
    const queue = new EventQueue(3);
    for (let n = 0; n < 3; n++) expect(queue.push(item(n))).toEqual([]);
    expect(queue.push(item(3)).map((d) => d.event)).toEqual([{ n: 0 }]);
    expect(queue.length).toBe(3);
    expect(queue.bytes).toBe(21);
    expect([queue.shift(), queue.shift(), queue.shift()].map((d) => d?.event)).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
    expect(queue.shift()).toBeUndefined();
    expect(queue.bytes).toBe(0);
  });

  test("stays bounded over many pushes", () => {
    const queue = new EventQueue(100);
    let dropped = 0;
    for (let n = 0; n < 100_000; n++) dropped += queue.push(item(n)).length;
    expect(queue.length).toBe(100);
    expect(dropped).toBe(99_900);
    expect(queue.peek()?.event).toEqual({ n: 99_900 });
  });
});
