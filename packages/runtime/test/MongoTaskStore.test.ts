import { mongoUri, uniqueName } from "@gametel/devstack";
import { MongoClient } from "mongodb";
import type { Db } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arenaModel } from "../src/processor/ArenaModel.js";
import { MongoTaskStore } from "../src/store/MongoTaskStore.js";

let client: MongoClient;
let db: Db;
let store: MongoTaskStore;

beforeAll(async () => {
  client = await MongoClient.connect(mongoUri());
  db = client.db(uniqueName("rt-store"));
  store = new MongoTaskStore({ db, now: () => 1_000 });
  await store.ensureIndexes(
    arenaModel().aggregations.map((a) => ({ collection: a.collection, indexes: a.indexes ?? [] })),
  );
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

describe("MongoTaskStore (local MongoDB-compatible server)", () => {
  it("creates the query indexes", async () => {
    const names = (await db.collection("player_stats").indexes()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(["game_kd_ratio", "game_kills"]));
    const windowIndexes = await db.collection("player_stats_5m").indexes();
    expect(windowIndexes.map((i) => i.key)).toContainEqual({ game_id: 1, player_id: 1, window_start: 1 });
  });

  it("aggregate writes only move forward, in one bulk write with mixed new, stale and newer docs", async () => {
    const rec = (id: string, offset: bigint, kills: number) => ({
      id,
      partition: 2,
      offset,
      state: `s${offset}`,
      fields: { game_id: "g", kills, first_seen: new Date(5) },
    });
    await store.writeDocs("player_stats", [rec("g:a", 10n, 1), rec("g:b", 3n, 1)]);
    // g:a stale (E11000 path), g:b forward, g:c new — all in one bulk write.
    await store.writeDocs("player_stats", [rec("g:a", 9n, 99), rec("g:b", 4n, 2), rec("g:c", 1n, 7)]);
    // Equal offset is "already applied" too.
    await store.writeDocs("player_stats", [rec("g:a", 10n, 98)]);
    const docs = await db
      .collection("player_stats")
      .find({}, { sort: { _id: 1 } })
      .toArray();
    expect(docs.map((d) => [d._id, d.kills, d._offset, d._state])).toEqual([
      ["g:a", 1, 10, "s10"],
      ["g:b", 2, 4, "s4"],
      ["g:c", 7, 1, "s1"],
    ]);
    expect(docs[0]?.first_seen).toEqual(new Date(5));
    expect(docs[0]?.updated_at).toEqual(new Date(1_000));
    const loaded = await store.loadDocs("player_stats", ["g:a", "g:c", "g:missing"]);
    expect([...loaded]).toEqual([
      ["g:a", { offset: 10n, state: "s10" }],
      ["g:c", { offset: 1n, state: "s1" }],
    ]);
  });

  it("offsets beyond 2^31 round-trip exactly", async () => {
    const big = 2n ** 40n + 3n;
    await store.writeDocs("player_stats_5m", [
      { id: "g:a|0", partition: 0, offset: big, state: "w", fields: {} },
    ]);
    await store.writeDocs("player_stats_5m", [
      { id: "g:a|0", partition: 0, offset: big - 1n, state: "stale", fields: {} },
    ]);
    expect((await store.loadDocs("player_stats_5m", ["g:a|0"])).get("g:a|0")).toEqual({
      offset: big,
      state: "w",
    });
  });

  it("parts are fenced per partition; merges are compare-and-set on the revision", async () => {
    const part = (partition: number, offset: bigint, state: string) => ({
      id: "g:m1",
      partition,
      offset,
      state,
      identity: { game_id: "g", match_id: "m1" },
    });
    await Promise.all([
      store.writeParts("match_stats", [part(0, 5n, "a5")]),
      store.writeParts("match_stats", [part(1, 8n, "b8")]),
    ]);
    await store.writeParts("match_stats", [part(1, 7n, "b7-stale")]);
    expect((await store.loadParts("match_stats", 1, ["g:m1"])).get("g:m1")).toEqual({
      offset: 8n,
      state: "b8",
    });
    expect((await store.loadParts("match_stats", 3, ["g:m1"])).size).toBe(0);
    const merges: string[] = [];
    const merge = (_id: string, parts: readonly { partition: number; state: string }[]) => {
      merges.push(parts.map((p) => `${p.partition}:${p.state}`).join(","));
      return { merged: parts.map((p) => p.state).join("+") };
    };
    await store.mergeShared("match_stats", ["g:m1", "g:none"], merge);
    await store.mergeShared("match_stats", ["g:m1"], merge); // already merged at this revision: no work
    const doc = await db.collection("match_stats").findOne({ _id: "g:m1" as never });
    expect(doc).toMatchObject({ game_id: "g", match_id: "m1", merged: "a5+b8", _rev: 2, _merged_rev: 2 });
    expect(merges).toEqual(["0:a5,1:b8"]);
  });

  it("concurrent first writes of one shared doc from many partitions all land", async () => {
    const parts = Array.from({ length: 8 }, (_, p) => ({
      id: "g:race",
      partition: p,
      offset: 1n,
      state: `s${p}`,
      identity: { game_id: "g" },
    }));
    await Promise.all(parts.map((p) => store.writeParts("server_perf_5m", [p])));
    const doc = await db.collection("server_perf_5m").findOne({ _id: "g:race" as never });
    expect(Object.keys((doc?._parts ?? {}) as object).sort()).toEqual([
      "p0",
      "p1",
      "p2",
      "p3",
      "p4",
      "p5",
      "p6",
      "p7",
    ]);
    expect(doc?._rev).toBe(8);
  });

  it("key states round-trip and only move forward", async () => {
    const key = {
      key: "g:a",
      partition: 2,
      offset: 12n,
      dedupSize: 2,
      streamTime: 1_700_000_000_000,
      events: 5,
      duplicates: 1,
      late: 2,
    };
    await store.writeKeys([key]);
    await store.writeKeys([{ ...key, offset: 11n, dedupSize: 9 }]);
    expect((await store.loadKeys(["g:a", "g:zz"])).get("g:a")).toEqual(key);
    const raw = await db.collection("key_state").findOne({ _id: "g:a" as never });
    expect(raw?.stream_time).toEqual(new Date(1_700_000_000_000));
  });

  it("field deltas: only changed fields go, only onto the document as the task left it", async () => {
    const fields = (kills: number, deaths: number) => ({ game_id: "g", player_id: "d", kills, deaths });
    const rec = (
      offset: bigint,
      f: Record<string, unknown>,
      written?: { offset: bigint; fields: typeof f },
    ) => ({
      id: "g:d",
      partition: 1,
      offset,
      state: `s${offset}`,
      fields: f,
      ...(written === undefined ? {} : { written }),
    });
    const read = () => db.collection("player_stats").findOne({ _id: "g:d" as never });
    expect([...(await store.writeDocs("player_stats", [rec(10n, fields(1, 1))]))]).toEqual(["g:d"]);
    // A delta from the confirmed write: kills changes, the rest stays as written.
    const applied = await store.writeDocs("player_stats", [
      rec(12n, fields(2, 1), { offset: 10n, fields: fields(1, 1) }),
    ]);
    expect([...applied]).toEqual(["g:d"]);
    expect(await read()).toMatchObject({ ...fields(2, 1), _offset: 12, _state: "s12", _partition: 1 });
    // Another writer moved the document (deaths 5 at 15); a delta from 12 would keep its stale deaths: the store
    // sees the fence moved and writes the whole record.
    await store.writeDocs("player_stats", [rec(15n, fields(2, 5))]);
    expect([
      ...(await store.writeDocs("player_stats", [
        rec(20n, fields(3, 1), { offset: 12n, fields: fields(2, 1) }),
      ])),
    ]).toEqual(["g:d"]);
    expect(await read()).toMatchObject({ ...fields(3, 1), _offset: 20, _state: "s20" });
    // A document already past the record refuses it, delta or not: not applied, content unknown to the task.
    expect([
      ...(await store.writeDocs("player_stats", [
        rec(18n, fields(9, 9), { offset: 12n, fields: fields(2, 1) }),
      ])),
    ]).toEqual([]);
    expect(await read()).toMatchObject({ ...fields(3, 1), _offset: 20 });
    // The same delta again (a retry after its first attempt landed): applied, nothing changes.
    expect([
      ...(await store.writeDocs("player_stats", [
        rec(20n, fields(3, 1), { offset: 15n, fields: fields(2, 5) }),
      ])),
    ]).toEqual(["g:d"]);
    expect(await read()).toMatchObject({ ...fields(3, 1), _offset: 20 });
  });

  it("dedup slots: written in pieces across buckets, read back in order, dropped only below the memory", async () => {
    // Core's normalised ids (32 hex digits, packed as 16 bytes) and any other string.
    const id = (n: number) =>
      n % 7 === 0 ? `other-${n}` : `0000000000004000800${String(n).padStart(13, "0")}`;
    const ids = Array.from(
      { length: 1_200 },
      (_, n) => [id(n), 1_765_000_000_000 + (n % 13) * 1000 - n] as const,
    );
    await store.writeDedup([{ key: "g:d", from: 0, ids: ids.slice(0, 500) }]);
    await store.writeDedup([{ key: "g:d", from: 500, ids: ids.slice(500, 1_100) }]);
    // A replay writes the same slots again: same values.
    await store.writeDedup([{ key: "g:d", from: 400, ids: ids.slice(400, 1_200) }]);
    const slots = db.collection("key_state_dedup");
    expect(await slots.countDocuments({ k: "g:d" })).toBe(3);
    const loaded = await store.loadDedup([{ key: "g:d", from: 300, to: 1_200 }]);
    expect(loaded.get("g:d")).toEqual(ids.slice(300, 1_200));
    // Memory starts at 1100 now: bucket 0 (slots 0..511) and 1 (512..1023) are out, bucket 2 stays.
    await store.dropDedup([{ key: "g:d", before: 300, below: 1_100 }]);
    expect(await slots.countDocuments({ k: "g:d" })).toBe(1);
    expect((await store.loadDedup([{ key: "g:d", from: 1_100, to: 1_200 }])).get("g:d")).toEqual(
      ids.slice(1_100),
    );
    await expect(store.loadDedup([{ key: "g:d", from: 1_000, to: 1_200 }])).rejects.toThrow(
      'dedup memory of key "g:d" lacks slot 1000',
    );
  });

  it("dedup slots written one string per slot, before packed chunks, still load", async () => {
    await db
      .collection("key_state_dedup")
      .insertOne({ _id: "g:old|0" as never, k: "g:old", b: 0, s: { "0": "aa@5", "1": "bb@6" } });
    await store.writeDedup([{ key: "g:old", from: 2, ids: [["cc", 7]] }]);
    expect((await store.loadDedup([{ key: "g:old", from: 0, to: 3 }])).get("g:old")).toEqual([
      ["aa", 5],
      ["bb", 6],
      ["cc", 7],
    ]);
  });

  it("a key state written before dedup slots loads its whole memory as legacy", async () => {
    await db.collection("key_state").insertOne({
      _id: "g:old" as never,
      _partition: 0,
      _offset: 4,
      dedup: '{"v":1}',
      events: 3,
    });
    const loaded = (await store.loadKeys(["g:old"])).get("g:old");
    expect(loaded).toMatchObject({ dedupSize: 0, legacyDedup: '{"v":1}', events: 3, offset: 4n });
    await store.writeKeys([{ ...loaded!, offset: 5n, dedupSize: 3 }]);
    const raw = await db.collection("key_state").findOne({ _id: "g:old" as never });
    expect(raw?.dedup).toBeUndefined();
    expect(raw?.dedup_size).toBe(3);
  });
});
