import { BSON } from "mongodb";
import { describe, expect, it } from "vitest";
import { createMetrics, metricTotal } from "../ops/Metrics.js";
import { InMemoryTaskStore } from "./InMemoryTaskStore.js";
import { documentBytes, meteredTaskStore } from "./MeteredTaskStore.js";
import type { AggregateRecord, KeyStateRecord, PartRecord } from "./TaskStore.js";

const doc = (id: string, state: string): AggregateRecord => ({
  id,
  partition: 1,
  offset: 7n,
  state,
  fields: { player_id: id, kills: 3 },
});
const key = (id: string, dedupSize: number): KeyStateRecord => ({
  key: id,
  partition: 1,
  offset: 7n,
  dedupSize,
  streamTime: 1000,
  events: 2,
  duplicates: 0,
  late: 0,
});
const part = (id: string): PartRecord => ({
  id,
  partition: 1,
  offset: 7n,
  state: "s",
  identity: { match_id: id },
});

const setup = () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const store = meteredTaskStore(new InMemoryTaskStore(), metrics);
  const totals = async () => ({
    writes: await metricTotal(metrics.storeWrites),
    documents: await metricTotal(metrics.storeDocumentsWritten),
    bytes: await metricTotal(metrics.storeBytesWritten),
  });
  return { store, totals };
};

describe("meteredTaskStore write counts", () => {
  it("counts one bulk write per call, its documents and their BSON bytes", async () => {
    const { store, totals } = setup();
    const records = [doc("a", "x"), doc("b", "y".repeat(100))];
    await store.writeDocs("player_stats", records);
    await store.writeKeys([key("a", 500)]);
    const expected =
      BSON.calculateObjectSize({
        _id: "a",
        player_id: "a",
        kills: 3,
        _state: "x",
        _partition: 1,
        _offset: 7n,
      }) +
      BSON.calculateObjectSize({
        _id: "b",
        player_id: "b",
        kills: 3,
        _state: "y".repeat(100),
        _partition: 1,
        _offset: 7n,
      }) +
      documentBytes.key(key("a", 500));
    expect(await totals()).toEqual({ writes: 2, documents: 3, bytes: expected });
  });

  it("dedup slots: bytes follow the ids admitted since the last write, not the key's history", async () => {
    const id = (n: number) => n.toString(16).padStart(32, "0");
    const ids = (count: number) => Array.from({ length: count }, (_, i) => [id(i), 1_000 + i] as const);
    const { store, totals } = setup();
    await store.writeDedup([{ key: "a", from: 0, ids: ids(1) }]);
    const young = (await totals()).bytes;
    await store.writeDedup([{ key: "a", from: 1_000_000, ids: ids(1) }]);
    const old = (await totals()).bytes - young;
    expect(Math.abs(old - young)).toBeLessThan(16); // only the slot number's and bucket id's digits differ
    await store.writeDedup([{ key: "a", from: 2_000_000, ids: ids(10) }]);
    const ten = (await totals()).bytes - young - old;
    expect(ten).toBeGreaterThan(10 * 16); // every id takes its 16 bytes; ten share one chunk's and _id's overhead
    expect(ten).toBeLessThan(10 * old);
    expect((await totals()).writes).toBe(3);
  });

  it("counts nothing for empty writes", async () => {
    const { store, totals } = setup();
    await store.writeDocs("player_stats", []);
    await store.writeParts("match_stats", []);
    await store.writeKeys([]);
    await store.mergeShared("match_stats", [], () => ({}));
    expect(await totals()).toEqual({ writes: 0, documents: 0, bytes: 0 });
  });

  it("counts merged documents only when the store merged them", async () => {
    const { store, totals } = setup();
    await store.writeParts("match_stats", [part("m1"), part("m2")]);
    const merge = (id: string) => ({ match_id: id, players: 2 });
    await store.mergeShared("match_stats", ["m1", "m2"], merge);
    // Nothing changed since: the store merges nothing, so nothing is written.
    await store.mergeShared("match_stats", ["m1", "m2"], merge);
    const mergedBytes = documentBytes.merged("m1", merge("m1")) + documentBytes.merged("m2", merge("m2"));
    const partBytes = documentBytes.part(part("m1")) + documentBytes.part(part("m2"));
    expect(await totals()).toEqual({ writes: 2, documents: 4, bytes: partBytes + mergedBytes });
  });
});
