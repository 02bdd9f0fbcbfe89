import { mongoUri, uniqueName } from "@gametel/devstack";
import { createGenerator } from "@gametel/generator";
import { partitionForKey } from "../src/engine/murmur2.js";
import { MongoClient } from "mongodb";
import type { Db } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsumedRecord, ProducedRecord, TopicPartitionOffset } from "../src/engine/Engine.js";
import { silentLogger } from "../src/ops/Logger.js";
import { coreModel } from "../src/processor/CoreModel.js";
import { DEAD_LETTER_MAX_BYTES_DEFAULT } from "../src/processor/DeadLetter.js";
import { EVENT_TIME_BOUNDS_DEFAULTS } from "../src/processor/EventTimeBounds.js";
import { misPartitionedReason } from "../src/processor/PartitioningContract.js";
import { StateCache } from "../src/processor/StateCache.js";
import { StreamTask } from "../src/processor/StreamTask.js";
import type { TaskCacheEntry } from "../src/processor/StreamTask.js";
import { MongoTaskStore } from "../src/store/internals/MongoTaskStore.js";
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

describe("StreamTask + coreModel + MongoTaskStore", () => {
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
    await store.ensureIndexes();
    const produced: ProducedRecord[] = [];
    const collector = {
      produce: (records: readonly ProducedRecord[]) => (produced.push(...records), Promise.resolve()),
      commit: (_: readonly TopicPartitionOffset[]) => Promise.resolve(),
    };
    const model = coreModel();
    const parts = partitioned(generated);
    await Promise.all(
      parts.map(async (records, partition) => {
        // First owner: batches of 300 with a small cache; then a new owner replays from the middle.
        const run = async (from: number, cacheSize: number) => {
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
          });
          for (let i = from; i < records.length; i += 300) {
            await task.process({ topic: TOPIC, partition, records: records.slice(i, i + 300) });
          }
        };
        await run(0, 5);
        await run(Math.floor(records.length / 2), 1_000);
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
  }, 240_000); // the shared local server can be slow under load
});
