import { mongoUri, uniqueName } from "@gametel/devstack";
import { MongoClient } from "mongodb";
import type { Db } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromLong } from "../src/store/fencedWrite.js";
import { MongoTaskStore } from "../src/store/MongoTaskStore.js";
import type { LoadedPart } from "../src/store/TaskStore.js";

/**
 * The shared-document protocol (parts written with a fence, then merged with a compare-and-set on `_rev`) under
 * contention: every partition writes its part of ONE match and ONE server window at once, in many small rounds, each
 * writer over its own connection pool (as separate instances would). After every run, each part must hold its
 * writer's last state (no lost update) and the public fields must equal the exact merge of all parts (no merge from
 * a torn or stale read). Issue 13 saw a match whose public fields missed one partition's part once in ten runs.
 */
const WRITERS = 8;
const ROUNDS = 40;
const RUNS = 3;
let db: Db;
const clients: MongoClient[] = [];

interface SumState {
  readonly sum: number;
  readonly rounds: number;
  /** Bulk, as a real match or sketch state has: a longer update widens any window for a race. */
  readonly pad: string;
}

const PAD = "x".repeat(4096);
const stateOf = (partition: number, round: number): SumState => ({
  sum: (partition + 1) * 1000 + round,
  rounds: round + 1,
  pad: PAD,
});

const merge = (_id: string, parts: readonly LoadedPart[]) => {
  const states = parts.map((p) => JSON.parse(p.state) as SumState);
  return {
    total: states.reduce((a, s) => a + s.sum, 0),
    rounds: states.reduce((a, s) => a + s.rounds, 0),
    parts: parts.length,
  };
};

beforeAll(async () => {
  const name = uniqueName("rt-merge");
  for (let i = 0; i < WRITERS; i += 1) {
    const client = await MongoClient.connect(mongoUri(), { maxPoolSize: 4 });
    clients.push(client);
  }
  db = clients[0]!.db(name);
});

afterAll(async () => {
  await db.dropDatabase();
  await Promise.all(clients.map((c) => c.close()));
});

async function hammer(kind: string, id: string, dbName: string): Promise<void> {
  await Promise.all(
    clients.map(async (client, partition) => {
      const store = new MongoTaskStore({ db: client.db(dbName) });
      for (let round = 0; round < ROUNDS; round += 1) {
        await store.writeParts(kind, [
          {
            id,
            partition,
            offset: BigInt(round),
            identity: { game_id: "arena", stress_id: id },
            state: JSON.stringify(stateOf(partition, round)),
          },
        ]);
        await store.mergeShared(kind, [id], merge);
      }
    }),
  );
}

describe("shared-document merge under contention", () => {
  it.each(Array.from({ length: RUNS }, (_, run) => run))(
    "run %i: every part holds its last write and the public fields are the merge of all parts",
    async (run) => {
      const matchId = `arena:m-stress-${run}`;
      const serverId = `arena:srv-stress-${run}|0`;
      await Promise.all([
        hammer("match_stats", matchId, db.databaseName),
        hammer("server_perf_5m", serverId, db.databaseName),
      ]);
      for (const [collection, id] of [
        ["match_stats", matchId],
        ["server_perf_5m", serverId],
      ] as const) {
        const doc = await db
          .collection<{ _id: string } & Record<string, unknown>>(collection)
          .findOne({ _id: id });
        expect(doc).not.toBeNull();
        const parts = Object.entries((doc?._parts ?? {}) as Record<string, { o: unknown; s: string }>)
          .map(([field, p]) => ({ partition: Number(field.slice(1)), offset: fromLong(p.o), state: p.s }))
          .sort((a, b) => a.partition - b.partition);
        // No lost update: every writer's last part is there.
        expect(parts.map((p) => [p.partition, p.offset, JSON.parse(p.state) as SumState])).toEqual(
          Array.from({ length: WRITERS }, (_, p) => [p, BigInt(ROUNDS - 1), stateOf(p, ROUNDS - 1)]),
        );
        expect(doc?._rev).toBe(WRITERS * ROUNDS);
        // The public fields are the exact merge of all parts.
        expect({ total: doc?.total, rounds: doc?.rounds, parts: doc?.parts }).toEqual(merge(id, parts));
      }
    },
    120_000,
  );
});
