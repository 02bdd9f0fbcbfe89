import { describe, expect, it } from "vitest";
import type { ConsumedRecord, EngineHandlers, PartitionBatch, TopicPartition } from "./Engine.js";
import { EngineSession } from "./EngineSession.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const tp = (partition: number): TopicPartition => ({ topic: "in", partition });
const batch = (partition: number, ...offsets: number[]): PartitionBatch => ({
  topic: "in",
  partition,
  records: offsets.map((offset): ConsumedRecord => ({
    topic: "in",
    partition,
    offset: BigInt(offset),
    key: null,
    value: null,
    timestamp: 0,
    headers: {},
  })),
});

function recorder(overrides: Partial<EngineHandlers> = {}) {
  const events: string[] = [];
  const errors: Error[] = [];
  const handlers: EngineHandlers = {
    onAssigned: async (ps) => void events.push(`assigned ${ps.map((p) => p.partition).join(",")}`),
    onRevoked: async (ps) => void events.push(`revoked ${ps.map((p) => p.partition).join(",")}`),
    onBatch: async (b) =>
      void events.push(`batch ${b.partition}@${b.records.map((r) => r.offset).join(",")}`),
    onError: (e) => void errors.push(e),
    ...overrides,
  };
  return { events, errors, handlers };
}

describe("EngineSession", () => {
  it("delivers only partitions owned between onAssigned and onRevoked, tracking the processed position", async () => {
    const { events, handlers } = recorder();
    const session = new EngineSession(handlers, silent);
    expect(await session.batch(() => session.deliver(batch(0, 0)))).toBe(false);
    await session.rebalance(() => session.assigned([tp(0), tp(1)]));
    expect(session.joined).toBe(true);
    expect(await session.batch(() => session.deliver(batch(0, 5, 6)))).toBe(true);
    expect(session.processed().get("in:0")).toBe(7n);
    await session.rebalance(() => session.revoked([tp(0)], { alreadyGone: false }));
    expect(await session.batch(() => session.deliver(batch(0, 7)))).toBe(false);
    expect(await session.batch(() => session.deliver(batch(1, 0)))).toBe(true);
    expect(session.processed().has("in:0")).toBe(false);
    expect(events).toEqual(["assigned 0,1", "batch 0@5,6", "revoked 0", "batch 1@0"]);
  });

  it("keeps ownership during onRevoked unless the partitions are already gone", async () => {
    const owned: boolean[] = [];
    const { handlers } = recorder({ onRevoked: async () => void owned.push(session.isOwned(tp(0))) });
    const session = new EngineSession(handlers, silent);
    await session.rebalance(() => session.assigned([tp(0)]));
    await session.rebalance(() => session.revoked([tp(0)], { alreadyGone: false }));
    await session.rebalance(() => session.assigned([tp(0)]));
    await session.rebalance(() => session.revoked([tp(0)], { alreadyGone: true }));
    expect(owned).toEqual([true, false]);
    expect(session.owned()).toEqual([]);
  });

  it("waits for the in-flight batch before revoking", async () => {
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    const { events, handlers } = recorder({
      onBatch: async (b) => {
        events.push(`start ${b.partition}`);
        await blocker;
        events.push(`end ${b.partition}`);
      },
    });
    const session = new EngineSession(handlers, silent);
    await session.rebalance(() => session.assigned([tp(2)]));
    const delivering = session.batch(() => session.deliver(batch(2, 0)));
    await new Promise((r) => setImmediate(r));
    const revoking = session.rebalance(() => session.revoked([tp(2)], { alreadyGone: false }));
    release();
    await Promise.all([delivering, revoking]);
    expect(events).toEqual(["assigned 2", "start 2", "end 2", "revoked 2"]);
  });

  it("fails once when onBatch rejects, then delivers nothing and stops without onRevoked", async () => {
    const { events, errors, handlers } = recorder({ onBatch: () => Promise.reject(new Error("mongo down")) });
    const session = new EngineSession(handlers, silent);
    await session.rebalance(() => session.assigned([tp(0)]));
    expect(await session.batch(() => session.deliver(batch(0, 1)))).toBe(false);
    expect(await session.batch(() => session.deliver(batch(0, 1)))).toBe(false);
    expect(session.state).toBe("failed");
    const released: TopicPartition[][] = [];
    await session.stop(async (owned) => void released.push([...owned]));
    expect(errors.map((e) => e.message)).toEqual(["mongo down"]);
    expect(events).toEqual(["assigned 0"]);
    expect(released).toEqual([[tp(0)]]);
  });

  it("fails when a rebalance callback rejects", async () => {
    const { errors, handlers } = recorder({
      onAssigned: () => Promise.reject(new Error("cannot load state")),
    });
    const session = new EngineSession(handlers, silent);
    await session.rebalance(() => session.assigned([tp(0)]));
    expect(session.state).toBe("failed");
    expect(errors.map((e) => e.message)).toEqual(["cannot load state"]);
  });

  it("stop revokes what is owned after the in-flight batch, then releases", async () => {
    const { events, handlers } = recorder();
    const session = new EngineSession(handlers, silent);
    await session.rebalance(() => session.assigned([tp(0), tp(3)]));
    await session.stop(async (owned) => void events.push(`release ${owned.length}`));
    expect(events).toEqual(["assigned 0,3", "revoked 0,3", "release 2"]);
    expect(await session.batch(() => session.deliver(batch(0, 0)))).toBe(false);
  });
});
