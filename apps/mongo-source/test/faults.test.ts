// Faults under mongo-source (bounded: about a minute and a half on an idle machine), against a MongoDB stand-in of this file's own (so restarting it disturbs no other
// test) and the shared Kafka: a SIGKILL of the source mid-stream, and MongoDB restarted under a running source
// while documents are being inserted. Every scenario ends by comparing the event ids in Kafka with the inserted
// documents: none missing, duplicates only as the README states.
import { randomUUID } from "node:crypto";
import { MongoClient, type Document } from "mongodb";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { startPrivateMongo, type PrivateMongo } from "./privateMongo.js";
import {
  createTopics,
  deleteTopics,
  logLines,
  makeEvents,
  startConsumer,
  startSource,
  testNames,
  type ConsumedRecord,
  type SourceProcess,
  type TestNames,
} from "./support.js";

let mongo: PrivateMongo;
let client: MongoClient;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  mongo = await startPrivateMongo();
  client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 60_000 });
  await client.connect();
}, 180_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await mongo?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function setUp(prefix: string): Promise<TestNames> {
  const names = testNames(prefix);
  await createTopics([
    { topic: names.events, partitions: 3 },
    { topic: names.dlq, partitions: 1 },
  ]);
  cleanups.push(() => deleteTopics([names.events, names.dlq]));
  return names;
}

/** Valid events stamped with the insert time, as a game server writes them (what --copy-since compares). */
function freshEvents(n: number): Document[] {
  return makeEvents(n).map((d) => ({ ...d, event_id: randomUUID(), event_time: Date.now() }));
}

function insert(names: TestNames, documents: readonly Document[], batch: number): Promise<void> {
  return (async () => {
    const collection = client.db(names.db).collection("telemetry");
    for (let i = 0; i < documents.length; i += batch) {
      await collection.insertMany(
        documents.slice(i, i + batch).map((d) => ({ ...d, event_time: Date.now() })),
      );
    }
  })();
}

function source(names: TestNames, args: readonly string[]): SourceProcess {
  const child = startSource(names, ["--mongo-uri", mongo.uri, ...args]);
  cleanups.push(async () => void child.child.kill("SIGKILL"));
  return child;
}

function eventIds(records: readonly ConsumedRecord[], topic: string): string[] {
  return records
    .filter((r) => r.topic === topic)
    .map((r) => (JSON.parse(r.value) as { event_id: string }).event_id);
}

/** Every inserted document is in Kafka; returns how many records came more than once. */
async function expectAllPublished(
  consumer: Awaited<ReturnType<typeof startConsumer>>,
  names: TestNames,
  documents: readonly Document[],
): Promise<number> {
  const expected = new Set(documents.map((d) => d.event_id as string));
  await consumer
    .waitFor((r) => new Set(eventIds(r, names.events)).size >= expected.size, 20_000)
    .catch(() => undefined);
  const ids = eventIds(consumer.records, names.events);
  const missing = [...expected].filter((id) => !ids.includes(id));
  expect(missing, `${missing.length} of ${expected.size} inserted documents never reached Kafka`).toEqual([]);
  expect(new Set(ids).size).toBe(expected.size);
  return ids.length - expected.size;
}

const BATCH = 10;
/** Documents inserted in one burst just before MongoDB stops: more than the source publishes meanwhile. */
const BEFORE_RESTART = 1500;
const CHECKPOINT_EVERY = 25;
const slowSource = ["--batch-size", String(BATCH), "--checkpoint-every", String(CHECKPOINT_EVERY)];

describe("mongo-source under faults", () => {
  test("SIGKILL mid-stream, restart: nothing lost, at most --checkpoint-every + 2 x --batch-size re-published", async () => {
    const names = await setUp("ms-fault-kill");
    const consumer = await startConsumer([names.events]);
    cleanups.push(() => consumer.stop());
    const documents = freshEvents(600);

    const first = source(names, [...slowSource, "--checkpoint-interval-ms", "60000"]);
    await first.waitForLog("change stream opened");
    const inserting = insert(names, documents, 20);
    await consumer.waitFor((r) => r.length >= 150);
    first.child.kill("SIGKILL");
    expect((await first.exited()).signal).toBe("SIGKILL");
    const seenAtKill = new Set(eventIds(consumer.records, names.events)).size;
    await inserting;
    expect(seenAtKill).toBeLessThan(documents.length); // the kill was mid-stream

    const second = source(names, ["--exit-when-idle", "2000"]);
    expect((await second.exited()).code).toBe(0);
    const duplicates = await expectAllPublished(consumer, names, documents);
    expect(duplicates).toBeLessThanOrEqual(CHECKPOINT_EVERY + 2 * BATCH);
  });

  test("MongoDB restarted under the source during inserts: the lost resume point is reported, and the printed recovery publishes every document", async () => {
    const names = await setUp("ms-fault-mongo");
    const consumer = await startConsumer([names.events]);
    cleanups.push(() => consumer.stop());
    const before = freshEvents(BEFORE_RESTART);
    const after = freshEvents(100);

    const running = source(names, [...slowSource, "--exit-when-idle", "10000"]);
    await running.waitForLog("change stream opened");
    // Inserted faster than the source (10 per round trip) publishes them: when MongoDB stops, part of them is
    // stored but not yet read from the change stream, and the restarted server's oplog no longer has them.
    await insert(names, before, 500);
    await mongo.restart();
    await insert(names, after, 50);

    const exit = await running.exited();
    const seen = new Set(eventIds(consumer.records, names.events)).size;
    const stderr = running.stderr();
    const recovery = /Recover with: gametel-mongo-source (.+?) \(re-publishes/.exec(stderr);
    // The old stand-in resumed "from now": the source idled out with code 0 and documents missing.
    expect(
      exit.code,
      `exit ${exit.code}, ${seen} of ${before.length + after.length} published; stderr: ${stderr}`,
    ).toBe(2);
    expect(recovery, stderr).not.toBeNull();
    const lost = logLines(running.stdout()).find(
      (l) => l.msg === "resume point lost: documents may not have been published",
    );
    expect(lost).toMatchObject({ level: "error", code: 286, policy: "fail" });
    expect(seen).toBeLessThan(before.length); // the restart really did cut into unread documents

    const recovered = source(names, [...(recovery?.[1] ?? "").split(" "), "--exit-when-idle", "2000"]);
    expect((await recovered.exited()).code, recovered.stderr()).toBe(0);
    const duplicates = await expectAllPublished(consumer, names, [...before, ...after]);
    // What the recovery re-publishes: the documents since its time that were published already.
    expect(duplicates).toBeLessThanOrEqual(seen);
  });

  test("--on-resume-lost recopy: the source reports the lost point, counts it, re-copies and streams on by itself", async () => {
    const names = await setUp("ms-fault-recopy");
    const consumer = await startConsumer([names.events]);
    cleanups.push(() => consumer.stop());
    const before = freshEvents(BEFORE_RESTART);
    const after = freshEvents(100);

    const running = source(names, [...slowSource, "--on-resume-lost", "recopy", "--exit-when-idle", "10000"]);
    await running.waitForLog("change stream opened");
    await insert(names, before, 500);
    await mongo.restart();
    await running.waitForLog("resume point lost: re-copying the documents since the suggested time", 60_000);
    await insert(names, after, 50);

    const exit = await running.exited();
    expect(exit.code, running.stderr()).toBe(0);
    const summary = logLines(running.stdout()).find((l) => l.msg === "summary");
    expect(summary).toMatchObject({ reason: "idle", resumePointsLost: 1 });
    await expectAllPublished(consumer, names, [...before, ...after]);
  });
});

describe("the MongoDB stand-in's change-stream history", () => {
  test("a resume token from before a restart is refused with ChangeStreamHistoryLost (286); a fresh start point works", async () => {
    const collection = client.db(testNames("ms-history").db).collection("telemetry");
    const stream = collection.watch([], { maxAwaitTimeMS: 100 });
    expect(await stream.tryNext()).toBeNull(); // opens the stream: it starts now
    await collection.insertOne({ n: 1 });
    const change = await stream.next();
    const token = change._id;
    await stream.close();
    // Before the restart the token resumes exactly: the next insert and nothing else.
    await collection.insertOne({ n: 2 });
    const resumed = collection.watch([], { resumeAfter: token, maxAwaitTimeMS: 100 });
    expect(await resumed.next()).toMatchObject({ operationType: "insert", fullDocument: { n: 2 } });
    await resumed.close();

    await mongo.restart();
    const stale = collection.watch([], { resumeAfter: token, maxAwaitTimeMS: 100 });
    const error = await stale.tryNext().then(
      () => null,
      (e: unknown) => e as { code?: number; codeName?: string },
    );
    await stale.close();
    expect(error).toMatchObject({ code: 286, codeName: "ChangeStreamHistoryLost" });

    // After the restart the newest oplog entry is a valid start point (what the source captures on a first run).
    const newest = await client.db("local").collection("oplog.rs").find().sort({ ts: -1 }).limit(1).next();
    await collection.insertOne({ n: 3 });
    const fresh = collection.watch([], { startAtOperationTime: newest?.ts, maxAwaitTimeMS: 100 });
    expect(await fresh.next()).toMatchObject({ operationType: "insert", fullDocument: { n: 3 } });
    await fresh.close();
  });
});
