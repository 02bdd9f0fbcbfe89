import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createBatcher } from "./Batcher.js";

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe("createBatcher", () => {
  it("sends full batches in order with one request in flight", async () => {
    const sent: number[][] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const batcher = createBatcher<number>({
      batchSize: 3,
      lingerMs: 10_000,
      send: async (items) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        sent.push(items);
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
        inFlight--;
      },
    });
    for (const n of [1, 2, 3]) expect(batcher.add(n)).toBeUndefined();
    expect(sent).toEqual([[1, 2, 3]]);
    expect(batcher.add(4)).toBeUndefined();
    expect(batcher.add(5)).toBeUndefined();
    const wait = batcher.add(6);
    expect(wait).toBeInstanceOf(Promise);
    expect(sent).toHaveLength(1);
    gates[0]?.resolve();
    await wait;
    expect(sent).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    void batcher.add(7);
    const flushed = batcher.flush();
    gates[1]?.resolve();
    await sleep(0);
    gates[2]?.resolve();
    await flushed;
    expect(sent.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(maxInFlight).toBe(1);
  });

  it("sends a partial batch after the linger", async () => {
    const sent: string[][] = [];
    const batcher = createBatcher<string>({
      batchSize: 100,
      lingerMs: 20,
      send: async (items) => void sent.push(items),
    });
    void batcher.add("a");
    void batcher.add("b");
    expect(sent).toEqual([]);
    await sleep(60);
    expect(sent).toEqual([["a", "b"]]);
    await batcher.flush();
  });

  it("reports the first send error on the next add and on flush", async () => {
    const batcher = createBatcher<number>({
      batchSize: 1,
      lingerMs: 5,
      send: () => Promise.reject(new Error("broker down")),
    });
    void batcher.add(1);
    await sleep(10);
    expect(() => batcher.add(2)).toThrow("broker down");
    await expect(batcher.flush()).rejects.toThrow("broker down");
  });
});
