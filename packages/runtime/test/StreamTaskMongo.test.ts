import { mongoUri, uniqueName } from "@gametel/devstack";
import { decodeEvent, killWeapon, partitionKey, playerStatsReducer, weaponKillsReducer } from "@gametel/core";
import type { PlayerStatsState, WeaponKillsState } from "@gametel/core";
import { createGenerator } from "@gametel/generator";
import { partitionForKey } from "../src/engine/murmur2.js";
import { MongoClient } from "mongodb";
import type { Db } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsumedRecord, ProducedRecord, TopicPartitionOffset } from "../src/engine/Engine.js";
import { silentLogger } from "../src/ops/Logger.js";
import { arenaModel, playerStatsFields } from "../src/processor/ArenaModel.js";
import { DEAD_LETTER_MAX_BYTES_DEFAULT } from "../src/processor/DeadLetter.js";
import { EVENT_TIME_BOUNDS_DEFAULTS } from "../src/processor/EventTimeBounds.js";
import { misPartitionedReason } from "../src/processor/PartitioningContract.js";
import { StateCache } from "../src/processor/StateCache.js";
import { StreamTask } from "../src/processor/StreamTask.js";
import type { TaskCacheEntry } from "../src/processor/StreamTask.js";
import { MongoTaskStore } from "../src/store/MongoTaskStore.js";
import { compareResults } from "../src/verify/Results.js";
import { readCounts, readResults } from "../src/verify/readResults.js";
import { recomputeExpected } from "../src/verify/recomputeExpected.js";

/**
 * The processing loop's tasks against the real local MongoDB server, fed partition batches directly (the Kafka
 * path is covered by the apps' end-to-end scenarios): core model + Mongo store + verification agree, also after
 * replays from old positions with empty caches.
 */
const PARTITIONS = 4;
const TOPIC = "in";
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  client = await MongoClient.connect(mongoUri());
  db = client.db(uniqueName("rt-task"));
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

/** Each document's public fields (no `_` fields, no `updated_at`), by `_id`. */
async function readFields(db: Db, collection: string): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for await (const doc of db.collection(collection).find({})) {
    const fields = Object.fromEntries(
      Object.entries(doc).filter(([k]) => !k.startsWith("_") && k !== "updated_at"),
    );
    out.set(String(doc._id), fields);
  }
  return out;
}

/**
 * Kills per (player, weapon) and PlayerStats per (match, player) of the distinct valid events, folded directly with
 * core's reducers (the generator's duplicates repeat an event_id; its late events change no unwindowed result).
 */
function recomputeAddedAggregations(values: readonly string[]) {
  const seen = new Set<string>();
  const weapons = new Map<string, WeaponKillsState>();
  const weaponIdentity = new Map<string, Record<string, unknown>>();
  const scoreboard = new Map<string, PlayerStatsState>();
  const scoreboardIdentity = new Map<string, Record<string, unknown>>();
  for (const value of values) {
    const decoded = decodeEvent(value);
    if (!decoded.ok || seen.has(decoded.event.event_id)) continue;
    const event = decoded.event;
    seen.add(event.event_id);
    const key = partitionKey(event);
    const weapon = killWeapon(event);
    if (weapon !== null) {
      const id = `${key}|${weapon}`;
      weapons.set(id, weaponKillsReducer.reduce(weapons.get(id) ?? weaponKillsReducer.init(), event));
      weaponIdentity.set(id, { game_id: event.game_id, player_id: event.player_id, weapon });
    }
    const playerScoped = !["match_start", "match_end", "perf_sample"].includes(event.event_type);
    if (playerScoped && event.player_id !== null && event.match_id !== null) {
      const id = `${event.game_id}:${event.match_id}|${key}`;
      scoreboard.set(id, playerStatsReducer.reduce(scoreboard.get(id) ?? playerStatsReducer.init(), event));
      scoreboardIdentity.set(id, {
        game_id: event.game_id,
        player_id: event.player_id,
        match_id: event.match_id,
      });
    }
  }
  const fields = <S, R>(
    states: Map<string, S>,
    identity: Map<string, Record<string, unknown>>,
    result: (s: S) => R,
    shape: (r: R) => Record<string, unknown>,
  ) => new Map([...states].map(([id, s]) => [id, { ...identity.get(id), ...shape(result(s)) }]));
  return {
    weapons: fields(
      weapons,
      weaponIdentity,
      (s) => weaponKillsReducer.result(s),
      (r) => ({ ...r }),
    ),
    scoreboard: fields(
      scoreboard,
      scoreboardIdentity,
      (s) => playerStatsReducer.result(s),
      playerStatsFields,
    ),
  };
}

function partitioned(values: readonly { key: string; json: string }[]): ConsumedRecord[][] {
  const parts: ConsumedRecord[][] = Array.from({ length: PARTITIONS }, () => []);
  for (const { key, json } of values) {
    const partition = partitionForKey(Buffer.from(key), PARTITIONS);
    const list = parts[partition]!;
    list.push({
      topic: TOPIC,
      partition,
      offset: BigInt(list.length),
      key: Buffer.from(key),
      value: Buffer.from(json),
      timestamp: 0,
      headers: {},
    });
  }
  return parts;
}

describe("StreamTask + arenaModel + MongoTaskStore", () => {
  it("matches the independent recomputation, with replays and a tiny cache", async () => {
    const generator = createGenerator({
      seed: 7,
      players: 10,
      matches: 2,
      servers: 2,
      duplicates: 0.03,
      outOfOrder: 0.05,
      late: 0.01,
      malformed: 0.01,
      maxRecords: 6_000,
    });
    const generated = [...generator].map((r) => ({ key: r.key, json: r.json }));
    const store = new MongoTaskStore({ db });
    const model = arenaModel();
    await store.ensureIndexes(
      model.aggregations.map((a) => ({ collection: a.collection, indexes: a.indexes ?? [] })),
    );
    const produced: ProducedRecord[] = [];
    const collector = {
      produce: (records: readonly ProducedRecord[]) => (produced.push(...records), Promise.resolve()),
      commit: (_: readonly TopicPartitionOffset[]) => Promise.resolve(),
    };
    const parts = partitioned(generated);
    await Promise.all(
      parts.map(async (records, partition) => {
        // First owner: batches of 300 with a small cache, committing every 700 records, ends without its last
        // commit (a crash); then a new owner replays from the middle, committing at the end.
        const run = async (from: number, cacheSize: number, commitEvery: number, closes: boolean) => {
          const task = new StreamTask({
            topic: TOPIC,
            partition,
            model,
            store,
            cache: new StateCache<TaskCacheEntry>(cacheSize),
            collector,
            topics: { deadLetter: "dlq", late: "late", output: "out" },
            logger: silentLogger,
            checkPartition: (key, p) => misPartitionedReason(key, p, PARTITIONS),
            eventTimeBounds: EVENT_TIME_BOUNDS_DEFAULTS,
            now: Date.now,
            deadLetterMaxBytes: DEAD_LETTER_MAX_BYTES_DEFAULT,
            commit: { intervalMs: 1e9, maxRecords: commitEvery, maxBytes: 1e9, maxEntries: cacheSize },
          });
          for (let i = from; i < records.length; i += 300) {
            await task.process({ topic: TOPIC, partition, records: records.slice(i, i + 300) });
          }
          if (closes) await task.commit();
        };
        await run(0, 5, 700, false);
        await run(Math.floor(records.length / 2), 1_000, 1_000_000, true);
      }),
    );
    const expected = recomputeExpected(generated.map((g) => g.json));
    const actual = await readResults(db);
    expect(compareResults(expected, actual)).toEqual([]);
    expect(expected.players.size).toBeGreaterThan(5);
    expect(expected.counts.late).toBeGreaterThan(0);
    expect(expected.windows.size).toBeGreaterThan(expected.players.size);
    expect(expected.matches.size).toBeGreaterThan(0);
    expect(expected.servers.size).toBeGreaterThan(0);
    const counts = await readCounts(db);
    expect(counts).toEqual({
      valid: expected.counts.valid,
      duplicates: expected.counts.duplicates,
      late: expected.counts.late,
    });
    expect(expected.counts.duplicates).toBeGreaterThan(0);
    expect(expected.counts.invalid).toBeGreaterThan(0);
    const dead = new Set(
      produced
        .filter((r) => r.topic === "dlq")
        .map(
          (r) =>
            `${String(r.headers?.["gametel.source.partition"])}:${String(r.headers?.["gametel.source.offset"])}`,
        ),
    );
    expect(dead.size).toBe(expected.counts.invalid);
    expect(counts.valid + counts.duplicates + dead.size).toBe(generated.length);
    // The scoreboard and per-weapon kills, added as two entries of the arena model, against core's reducers.
    const added = recomputeAddedAggregations(generated.map((g) => g.json));
    expect(added.weapons.size).toBeGreaterThan(1);
    expect(await readFields(db, "weapon_kills")).toEqual(added.weapons);
    expect(added.scoreboard.size).toBeGreaterThan(expected.players.size);
    expect(await readFields(db, "match_players")).toEqual(added.scoreboard);
  }, 240_000); // the shared local server can be slow under load
});
