import { describe, expect, it } from "vitest";
import type { TopicPartitionOffset } from "./Engine.js";
import { CommitCoalescer } from "./CommitCoalescer.js";

const tpo = (partition: number, offset: number): TopicPartitionOffset => ({
  topic: "t",
  partition,
  offset: BigInt(offset),
});

describe("CommitCoalescer", () => {
  it("sends one request at a time and merges what arrives meanwhile, keeping the highest offset", async () => {
    const sent: TopicPartitionOffset[][] = [];
    let release!: () => void;
    const coalescer = new CommitCoalescer(async (offsets) => {
      sent.push([...offsets]);
      if (sent.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = coalescer.commit([tpo(0, 10)]);
    const second = coalescer.commit([tpo(1, 5), tpo(0, 12)]);
    const third = coalescer.commit([tpo(1, 7), tpo(0, 11)]);
    release();
    await Promise.all([first, second, third]);
    expect(sent).toEqual([[tpo(0, 10)], [tpo(1, 7), tpo(0, 12)]]);
  });

  it("rejects exactly the callers whose request failed", async () => {
    let calls = 0;
    const coalescer = new CommitCoalescer(async () => {
      calls++;
      if (calls === 1) throw new Error("coordinator moved");
    });
    const failed = coalescer.commit([tpo(0, 1)]);
    await expect(failed).rejects.toThrow("coordinator moved");
    await expect(coalescer.commit([tpo(0, 2)])).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it("does not send an empty commit", async () => {
    let calls = 0;
    const coalescer = new CommitCoalescer(async () => void calls++);
    await coalescer.commit([]);
    expect(calls).toBe(0);
  });
});
