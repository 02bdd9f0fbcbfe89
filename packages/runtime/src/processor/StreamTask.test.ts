import type { DedupState } from "@gametel/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  ConsumedRecord,
  PartitionBatch,
  ProducedRecord,
  TopicPartitionOffset,
} from "../engine/Engine.js";
import { silentLogger } from "../ops/Logger.js";
import { InMemoryTaskStore } from "../store/InMemoryTaskStore.js";
import type { TaskStore } from "../store/TaskStore.js";
import { DeadLetterHeaders } from "./DeadLetter.js";
import { SUM_WINDOW_MS, sumModel } from "../testing/sumModel.js";
import type { SumEvent } from "../testing/sumModel.js";
import { StateCache } from "./StateCache.js";
import { StreamTask } from "./StreamTask.js";
import type { TaskCacheEntry } from "./StreamTask.js";

const GRACE = 50;
const TOPIC = "in";
/** A dedup memory of at most 4 ids (3 within 30 ms) per key: the property test also covers forgetting. */
const SMALL_DEDUP = { windowEvents: 3, windowMs: 30, maxEntries: 4 };
const model = sumModel(GRACE, SMALL_DEDUP);
/** Commits after every batch (the interval is 0). */
const EVERY_BATCH = { intervalMs: 0, maxRecords: 1, maxBytes: 1, maxEntries: 1 };

/** The sum model's events are not partitioned by key, and their times are small numbers: no input contract. */
const protocolOnly = {
  checkPartition: () => null,
  eventTimeBounds: { floorMs: Number.MIN_SAFE_INTEGER, maxFutureMs: Number.MAX_SAFE_INTEGER },
  now: () => 0,
  deadLetterMaxBytes: 1 << 20,
  commit: EVERY_BATCH,
};

class Crash extends Error {}

/** Fails the n-th write operation after applying only a prefix of it (a crash in the middle of a bulk write). */
function crashingStore(inner: InMemoryTaskStore, crashAt: { n: number }): TaskStore {
  let count = 0;
  const guard = async <R extends readonly unknown[], T>(
    records: R,
    apply: (r: R) => Promise<T>,
  ): Promise<T> => {
    count += 1;
    if (count === crashAt.n) {
      await apply(records.slice(0, Math.floor(records.length / 2)) as unknown as R);
      throw new Crash("crash");
    }
    return apply(records);
  };
  return {
    loadKeys: (ids) => inner.loadKeys(ids),
    loadDedup: (ranges) => inner.loadDedup(ranges),
    writeDedup: (slots) => guard(slots, (r) => inner.writeDedup(r)),
    dropDedup: (drops) => guard(drops, (r) => inner.dropDedup(r)),
    loadDocs: (kind, ids) => inner.loadDocs(kind, ids),
    loadParts: (kind, p, ids) => inner.loadParts(kind, p, ids),
    writeDocs: (kind, records) => guard(records, (r) => inner.writeDocs(kind, r)),
    writeParts: (kind, records) => guard(records, (r) => inner.writeParts(kind, r)),
    mergeShared: (kind, ids, merge) => guard(ids, (r) => inner.mergeShared(kind, r, merge)),
    writeKeys: (records) => guard(records, (r) => inner.writeKeys(r)),
  };
}

function toRecords(partition: number, values: readonly (SumEvent | string)[]): ConsumedRecord[] {
  return values.map((v, i) => ({
    topic: TOPIC,
    partition,
    offset: BigInt(i),
    key: null,
    value: Buffer.from(typeof v === "string" ? v : JSON.stringify(v)),
    timestamp: 0,
    headers: {},
  }));
}

class Collector {
  readonly produced: ProducedRecord[] = [];
  readonly commits: TopicPartitionOffset[] = [];
  produce(records: readonly ProducedRecord[]) {
    this.produced.push(...records);
    return Promise.resolve();
  }
  commit(offsets: readonly TopicPartitionOffset[]) {
    this.commits.push(...offsets);
    return Promise.resolve();
  }
}

interface Session {
  readonly cacheSize: number;
  readonly rewind: number;
  readonly batchSizes: readonly number[];
  /** Records per commit (the commit interval never elapses: the clock stands still). */
  readonly commitEvery: number;
  /** Whether the session ends with a commit (a revocation) or drops what it holds (a crash). */
  readonly closes: boolean;
}

/**
 * Runs a partition through sessions (each a new owner with an empty cache, resuming from the last committed offset
 * minus `rewind`), crashing where the store says.
 */
async function runPartition(
  partition: number,
  records: readonly ConsumedRecord[],
  sessions: readonly Session[],
  store: TaskStore,
  collector: Collector,
): Promise<void> {
  const committedOffset = () =>
    Number(
      collector.commits
        .filter((c) => c.partition === partition)
        .reduce((max, c) => (c.offset > max ? c.offset : max), 0n),
    );
  // After the random sessions, clean owners run until the end (the single crash may hit one of them too).
  const finalSession = {
    cacheSize: 1000,
    rewind: 0,
    batchSizes: [records.length + 1],
    commitEvery: 1000,
    closes: true,
  };
  const all = [...sessions, finalSession, finalSession];
  for (const session of all) {
    const task = new StreamTask<SumEvent>({
      topic: TOPIC,
      partition,
      model,
      store,
      cache: new StateCache<TaskCacheEntry>(session.cacheSize),
      collector,
      topics: { deadLetter: "dlq", late: "late", output: "out" },
      logger: silentLogger,
      ...protocolOnly,
      commit: {
        intervalMs: 1e9,
        maxRecords: session.commitEvery,
        maxBytes: 1e9,
        maxEntries: session.cacheSize,
      },
    });
    let position = Math.max(0, committedOffset() - session.rewind);
    let crashed = false;
    for (const size of session.batchSizes) {
      const slice = records.slice(position, position + size);
      if (slice.length === 0) break;
      const batch: PartitionBatch = { topic: TOPIC, partition, records: slice };
      try {
        await task.process(batch);
      } catch (error) {
        if (error instanceof Crash) {
          crashed = true;
          break;
        }
        throw error;
      }
      position += slice.length;
    }
    if (crashed || !session.closes) continue;
    try {
      await task.commit();
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
    }
  }
  expect(committedOffset()).toBe(records.length);
}

/** Straightforward recomputation of what the sum model must end with (no fences, no batches, no cache). */
function expected(partitions: ReadonlyMap<number, readonly (SumEvent | string)[]>) {
  const players = new Map<string, { sum: number; count: number }>();
  const windows = new Map<string, { sum: number; count: number; carried: number }>();
  const matches = new Map<string, { sum: number; count: number }>();
  const servers = new Map<string, { sum: number; count: number }>();
  const keys = new Map<string, { events: number; duplicates: number; late: number }>();
  let invalid = 0;
  for (const values of partitions.values()) {
    const seen = new Map<string, DedupState>();
    const streamTime = new Map<string, number>();
    for (const v of values) {
      if (typeof v === "string") {
        invalid += 1;
        continue;
      }
      const k = keys.get(v.key) ?? { events: 0, duplicates: 0, late: 0 };
      keys.set(v.key, k);
      const { deduplicator, eventId } = model.dedup;
      const ids = seen.get(v.key) ?? deduplicator.init();
      seen.set(v.key, ids);
      if (!deduplicator.admit(ids, eventId(v), v.t)) {
        k.duplicates += 1;
        continue;
      }
      k.events += 1;
      const start = Math.floor(v.t / SUM_WINDOW_MS) * SUM_WINDOW_MS;
      const st = streamTime.get(v.key);
      const late = st !== undefined && start + SUM_WINDOW_MS + GRACE <= st;
      streamTime.set(v.key, Math.max(st ?? v.t, v.t));
      if (late) k.late += 1;
      if (v.key.startsWith("p")) {
        const p = players.get(v.key) ?? { sum: 0, count: 0 };
        const targets = v.m === "m1" ? [start, start + SUM_WINDOW_MS] : [start];
        for (const target of targets) {
          if (st !== undefined && target + SUM_WINDOW_MS + GRACE <= st) continue;
          const id = `${v.key}|${target}`;
          const w = windows.get(id) ?? { sum: 0, count: 0, carried: 0 };
          windows.set(
            id,
            target === start
              ? { ...w, sum: w.sum + v.v, count: w.count + 1 }
              : { ...w, carried: w.carried + v.v },
          );
        }
        players.set(v.key, { sum: p.sum + v.v, count: p.count + 1 });
      }
      if (v.m !== undefined) {
        const m = matches.get(v.m) ?? { sum: 0, count: 0 };
        matches.set(v.m, { sum: m.sum + v.v, count: m.count + 1 });
      }
      if (v.s !== undefined && !late) {
        const id = `${v.s}|${start}`;
        const s = servers.get(id) ?? { sum: 0, count: 0 };
        servers.set(id, { sum: s.sum + v.v, count: s.count + 1 });
      }
    }
  }
  return { players, windows, matches, servers, keys, invalid };
}

function actual(store: InMemoryTaskStore) {
  const pick = <T>(m: ReadonlyMap<string, T>, f: (v: T) => unknown) =>
    new Map([...m].map(([k, v]) => [k, f(v)]));
  return {
    players: pick(store.collection("players"), (r) => ({ sum: r.fields.sum, count: r.fields.count })),
    windows: pick(store.collection("windows"), (r) => ({
      sum: r.fields.sum,
      count: r.fields.count,
      carried: r.fields.carried,
    })),
    matches: pick(store.shared("matches"), (d) => d.fields),
    servers: pick(store.shared("servers"), (d) => d.fields),
    keys: pick(store.keys, (k) => ({ events: k.events, duplicates: k.duplicates, late: k.late })),
  };
}

/** Events for one partition: keys are owned by one partition (keys carry the partition number). */
const partitionEvents = (partition: number) =>
  fc.array(
    fc.oneof(
      {
        weight: 12,
        arbitrary: fc.record(
          {
            id: fc.integer({ min: 0, max: 40 }).map((i) => `e${i}`),
            key: fc.constantFrom(`p${partition}a`, `p${partition}b`, `s${partition}`),
            t: fc.integer({ min: 0, max: 1000 }),
            v: fc.integer({ min: 1, max: 9 }),
            m: fc.option(fc.constantFrom("m1", "m2"), { nil: undefined }),
            s: fc.option(fc.constantFrom("srv1"), { nil: undefined }),
          },
          { requiredKeys: ["id", "key", "t", "v"] },
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom("{not json", "{}") },
    ),
    { maxLength: 60 },
  );

const sessions = fc.array(
  fc.record({
    cacheSize: fc.integer({ min: 1, max: 8 }),
    rewind: fc.integer({ min: 0, max: 20 }),
    batchSizes: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 6 }),
    commitEvery: fc.integer({ min: 1, max: 40 }),
    closes: fc.boolean(),
  }),
  { maxLength: 5 },
);

describe("StreamTask", () => {
  it("dead-letters undecodable records with the reason and the source position", async () => {
    const store = new InMemoryTaskStore();
    const collector = new Collector();
    const values = ["{oops", { id: "a", key: "p1", t: 1, v: 1 }, ""];
    const records = toRecords(0, values);
    const task = new StreamTask<SumEvent>({
      topic: TOPIC,
      partition: 0,
      model,
      store,
      cache: new StateCache<TaskCacheEntry>(10),
      collector,
      topics: { deadLetter: "dlq", late: null, output: null },
      logger: silentLogger,
      ...protocolOnly,
    });
    const result = await task.process({ topic: TOPIC, partition: 0, records });
    expect(result).toMatchObject({ records: 3, valid: 1, deadLettered: 2, duplicates: 0 });
    const dead = collector.produced.filter((r) => r.topic === "dlq");
    expect(
      dead.map((r) => [r.headers?.[DeadLetterHeaders.sourceOffset], r.headers?.[DeadLetterHeaders.reason]]),
    ).toEqual([
      ["0", "malformed JSON"],
      ["2", "empty record value"],
    ]);
    expect(collector.commits).toEqual([{ topic: TOPIC, partition: 0, offset: 3n }]);
  });

  it("drops duplicates, routes late events, keeps them in all-time state", async () => {
    const store = new InMemoryTaskStore();
    const collector = new Collector();
    const values: SumEvent[] = [
      { id: "a", key: "p1", t: 500, v: 1 },
      { id: "a", key: "p1", t: 500, v: 1 },
      { id: "b", key: "p1", t: 10, v: 2 }, // window [0,100) closes at 150 <= 500: late
      { id: "c", key: "p1", t: 460, v: 4 }, // window [400,500) closes at 550 > 500: on time
    ];
    const task = new StreamTask<SumEvent>({
      topic: TOPIC,
      partition: 0,
      model,
      store,
      cache: new StateCache<TaskCacheEntry>(10),
      collector,
      topics: { deadLetter: "dlq", late: "late", output: "out" },
      logger: silentLogger,
      ...protocolOnly,
    });
    const result = await task.process({ topic: TOPIC, partition: 0, records: toRecords(0, values) });
    expect(result).toMatchObject({ valid: 3, duplicates: 1, late: 1 });
    expect(store.collection("players").get("p1")?.fields).toEqual({ player_id: "p1", sum: 7, count: 3 });
    expect([...store.collection("windows").keys()].sort()).toEqual(["p1|400", "p1|500"]);
    expect(collector.produced.filter((r) => r.topic === "late")).toHaveLength(1);
    expect(collector.produced.filter((r) => r.topic === "out").map((r) => r.key)).toEqual(["p1"]);
    expect(store.keys.get("p1")).toMatchObject({
      events: 3,
      duplicates: 1,
      late: 1,
      offset: 3n,
      streamTime: 500,
    });
  });

  it("a key state holding its whole dedup memory (before slots) keeps it, and its next commit writes it as slots", async () => {
    const store = new InMemoryTaskStore();
    const dedup = model.dedup.deduplicator;
    const memory = dedup.init();
    dedup.admit(memory, model.dedup.eventId({ id: "old", key: "p1", t: 5, v: 1 }), 5);
    store.keys.set("p1", {
      key: "p1",
      partition: 0,
      offset: 9n,
      dedupSize: 0,
      legacyDedup: JSON.stringify(dedup.codec.encode(memory)),
      streamTime: 5,
      events: 7,
      duplicates: 0,
      late: 0,
    });
    const values: SumEvent[] = [
      { id: "old", key: "p1", t: 6, v: 1 },
      { id: "new", key: "p1", t: 7, v: 2 },
    ];
    const records = toRecords(0, values).map((r, i) => ({ ...r, offset: BigInt(10 + i) }));
    const task = new StreamTask<SumEvent>({
      topic: TOPIC,
      partition: 0,
      model,
      store,
      cache: new StateCache<TaskCacheEntry>(10),
      collector: new Collector(),
      topics: { deadLetter: "dlq", late: null, output: null },
      logger: silentLogger,
      ...protocolOnly,
    });
    const result = await task.process({ topic: TOPIC, partition: 0, records });
    expect(result).toMatchObject({ valid: 1, duplicates: 1 });
    expect(store.keys.get("p1")).toMatchObject({ events: 8, dedupSize: 2, offset: 11n });
    expect([...(store.dedup.get("p1")?.keys() ?? [])]).toEqual([6, 7]);
  });

  it("any batch split, commit interval, crash point, replay and cache size gives the results of one clean pass", async () => {
    await fc.assert(
      fc.asyncProperty(
        partitionEvents(0),
        partitionEvents(1),
        sessions,
        sessions,
        fc.integer({ min: 0, max: 40 }),
        async (events0, events1, sessions0, sessions1, crashAt) => {
          const partitions = new Map([
            [0, events0],
            [1, events1],
          ]);
          const store = new InMemoryTaskStore();
          const faulty = crashingStore(store, { n: crashAt === 0 ? -1 : crashAt });
          const collector = new Collector();
          await Promise.all([
            runPartition(0, toRecords(0, events0), sessions0, faulty, collector),
            runPartition(1, toRecords(1, events1), sessions1, faulty, collector),
          ]);
          const want = expected(partitions);
          const got = actual(store);
          expect(got.players).toEqual(want.players);
          expect(got.windows).toEqual(want.windows);
          expect(got.matches).toEqual(want.matches);
          expect(got.servers).toEqual(want.servers);
          expect(got.keys).toEqual(want.keys);
          const deadLettered = new Set(
            collector.produced
              .filter((r) => r.topic === "dlq")
              .map(
                (r) =>
                  `${String(r.headers?.[DeadLetterHeaders.sourcePartition])}:${String(r.headers?.[DeadLetterHeaders.sourceOffset])}`,
              ),
          );
          expect(deadLettered.size).toBe(want.invalid);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a zombie and the partition's new owner writing in turns leave the results of one clean pass (field deltas)", async () => {
    // Steps of both signs, so a field can go x → y → x: a delta applied to a document that another writer moved
    // would leave a stale field (e.g. steps +1 +1 +1 -1 with the turns below at 1, 2 and 3), a whole write not.
    const events = fc
      .array(fc.constantFrom(-1, 1), { minLength: 3, maxLength: 14 })
      .map((steps) => steps.map((v, i): SumEvent => ({ id: `e${i}`, key: "p0a", t: 10 + i, v })));
    const turns = fc.array(fc.nat(), { minLength: 3, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(events, turns, async (values, cuts) => {
        const records = toRecords(0, values);
        const [a1, b1, a2] = cuts.map((c) => c % (records.length + 1)).sort((x, y) => x - y) as [
          number,
          number,
          number,
        ];
        const store = new InMemoryTaskStore();
        const task = () =>
          new StreamTask<SumEvent>({
            topic: TOPIC,
            partition: 0,
            model,
            store,
            cache: new StateCache<TaskCacheEntry>(100),
            collector: new Collector(),
            topics: { deadLetter: "dlq", late: "late", output: "out" },
            logger: silentLogger,
            ...protocolOnly,
            commit: { intervalMs: 1e9, maxRecords: 1e9, maxBytes: 1e9, maxEntries: 100 },
          });
        const run = async (t: StreamTask<SumEvent>, from: number, to: number) => {
          if (to > from) await t.process({ topic: TOPIC, partition: 0, records: records.slice(from, to) });
          await t.commit();
        };
        const zombie = task();
        await run(zombie, 0, a1);
        const owner = task(); // takes over from the zombie's commit
        await run(owner, a1, b1);
        await run(zombie, a1, a2); // the zombie wakes up and writes what it holds, from its stale baselines
        await run(owner, b1, records.length);
        const want = expected(new Map([[0, values]]));
        const got = actual(store);
        expect(got.players).toEqual(want.players);
        expect(got.windows).toEqual(want.windows);
      }),
      { numRuns: 300 },
    );
  });
});
