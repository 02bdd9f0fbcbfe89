import type { ProducedRecord } from "@gametel/runtime";
import { describe, expect, test } from "vitest";
import { ProduceQueue, QueueFullError } from "./ProduceQueue.js";

const records = (n: number, tag: string): ProducedRecord[] =>
  Array.from({ length: n }, (_, i) => ({ topic: "t", key: `${tag}${i}`, value: "v" }));

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

describe("produce queue", () => {
  test("one send in flight; requests arriving meanwhile go together in the next; each settles with its send", async () => {
    const sends: { records: ProducedRecord[]; done: ReturnType<typeof deferred> }[] = [];
    const queue = new ProduceQueue({
      send: (r) => {
        const done = deferred();
        sends.push({ records: r, done });
        return done.promise;
      },
      maxQueuedRecords: 100,
      maxBatchRecords: 10,
    });
    const settled: string[] = [];
    const a = queue.publish(records(2, "a")).then(() => settled.push("a"));
    const b = queue.publish(records(3, "b")).then(() => settled.push("b"));
    const c = queue.publish(records(3, "c")).then(
      () => settled.push("c"),
      () => settled.push("c failed"),
    );
    expect(sends.length).toBe(1);
    expect(queue.queued).toBe(8);
    sends[0]!.done.resolve();
    await a;
    expect(settled).toEqual(["a"]);
    expect(sends.length).toBe(2);
    expect(sends[1]!.records.map((r) => r.key)).toEqual(["b0", "b1", "b2", "c0", "c1", "c2"]);
    sends[1]!.done.reject(new Error("broker down"));
    await Promise.allSettled([b, c]);
    expect(settled).toEqual(["a", "c failed"]);
    expect(queue.queued).toBe(0);
  });

  test("beyond the bound, requests are refused at once", async () => {
    const queue = new ProduceQueue({
      send: () => new Promise(() => undefined),
      maxQueuedRecords: 5,
      maxBatchRecords: 10,
    });
    void queue.publish(records(4, "a"));
    await expect(queue.publish(records(2, "b"))).rejects.toBeInstanceOf(QueueFullError);
    expect(queue.queued).toBe(4);
  });
});
