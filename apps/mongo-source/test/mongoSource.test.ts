// The source against the real local stack (pnpm stack:up): Kafka 4 and mongo-java-server with its oplog.
import { decodeEvent, partitionKey } from "@gametel/core";
import { BSON, ObjectId } from "mongodb";
import { afterEach, describe, expect, test } from "vitest";
import {
  createTopics,
  deleteTopics,
  expectedPartition,
  insertInBatches,
  logLines,
  makeEvents,
  startConsumer,
  startSource,
  testNames,
  withMongo,
  type ConsumedRecord,
  type TestNames,
} from "./support.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function setUp(prefix: string, partitions: number): Promise<TestNames> {
  const names = testNames(prefix);
  await createTopics([
    { topic: names.events, partitions },
    { topic: names.dlq, partitions: 1 },
  ]);
  cleanups.push(() => deleteTopics([names.events, names.dlq]));
  cleanups.push(() =>
    withMongo((c) =>
      c
        .db(names.db)
        .dropDatabase()
        .then(() => undefined),
    ),
  );
  return names;
}

function eventIds(records: readonly ConsumedRecord[], topic: string): string[] {
  return records
    .filter((r) => r.topic === topic)
    .map((r) => (JSON.parse(r.value) as { event_id: string }).event_id);
}

describe("mongo-source against the local stack", () => {
  test("N inserted documents become N events, keyed by partitionKey on the murmur2 partition; SIGTERM saves the offset", async () => {
    const partitions = 4;
    const names = await setUp("ms-basic", partitions);
    const documents = makeEvents(60);
    const consumer = await startConsumer([names.events, names.dlq]);
    cleanups.push(() => consumer.stop());

    const source = startSource(names, []);
    cleanups.push(async () => void source.child.kill("SIGKILL"));
    await source.waitForLog("change stream opened");
    await withMongo((c) => insertInBatches(c, names.db, documents, 15, 0));
    await consumer.waitFor((r) => r.length >= documents.length);

    source.child.kill("SIGTERM");
    const exit = await source.exited();
    expect(exit.code).toBe(0);
    const summary = logLines(source.stdout()).find((l) => l.msg === "summary");
    expect(summary).toMatchObject({ reason: "stopped", events: documents.length, deadLetters: 0 });

    const events = consumer.records.filter((r) => r.topic === names.events);
    expect(events).toHaveLength(documents.length);
    expect(new Set(eventIds(events, names.events))).toEqual(
      new Set(documents.map((d) => d.event_id as string)),
    );
    const byId = new Map(documents.map((d) => [d.event_id as string, d]));
    for (const record of events) {
      const decoded = decodeEvent(record.value);
      if (!decoded.ok) throw new Error(`published value does not decode: ${JSON.stringify(decoded.error)}`);
      expect(record.key).toBe(partitionKey(decoded.event));
      expect(record.partition).toBe(expectedPartition(names.events, partitionKey(decoded.event), partitions));
      const inserted = byId.get(decoded.event.event_id);
      expect(inserted).toBeDefined();
      expect(decoded.event).toMatchObject({
        event_type: inserted?.event_type,
        event_time: inserted?.event_time,
        game_id: inserted?.game_id,
        data: inserted?.data,
      });
    }
    // Keys of all three scopes came out.
    expect(new Set(events.map((r) => r.key?.split(":")[1]?.split("-")[0]))).toEqual(
      new Set(["m", "srv", "p"]),
    );

    // The offset was saved on SIGTERM: a restart publishes nothing again.
    const offset = await withMongo((c) =>
      c
        .db(names.db)
        .collection("_gametel_source_offsets")
        .findOne({ _id: names.source as never }),
    );
    expect(offset).toMatchObject({ phase: "stream", namespace: `${names.db}.telemetry` });
    expect(offset?.resume_token).toBeDefined();
    const again = startSource(names, ["--exit-when-idle", "1500"]);
    expect((await again.exited()).code).toBe(0);
    expect(logLines(again.stdout()).find((l) => l.msg === "summary")).toMatchObject({
      reason: "idle",
      events: 0,
    });
  });

  test("SIGKILL mid-stream, then restart: every event is in Kafka (duplicates allowed, none missing)", async () => {
    const names = await setUp("ms-kill", 3);
    const documents = makeEvents(600);
    const consumer = await startConsumer([names.events]);
    cleanups.push(() => consumer.stop());

    const first = startSource(names, [
      "--batch-size",
      "10",
      "--checkpoint-every",
      "25",
      "--checkpoint-interval-ms",
      "200",
    ]);
    cleanups.push(async () => void first.child.kill("SIGKILL"));
    await first.waitForLog("change stream opened");
    const inserting = withMongo((c) => insertInBatches(c, names.db, documents, 10, 40));
    await consumer.waitFor((r) => r.length >= 150);
    first.child.kill("SIGKILL");
    const killed = await first.exited();
    expect(killed.signal).toBe("SIGKILL");
    const seenAtKill = new Set(eventIds(consumer.records, names.events)).size;
    await inserting;
    // The kill really was mid-stream: documents were still missing when the source died.
    expect(seenAtKill).toBeLessThan(documents.length);

    const second = startSource(names, ["--exit-when-idle", "2000"]);
    expect((await second.exited()).code).toBe(0);
    await consumer.waitFor((r) => new Set(eventIds(r, names.events)).size >= documents.length, 30_000);

    const ids = eventIds(consumer.records, names.events);
    expect(new Set(ids)).toEqual(new Set(documents.map((d) => d.event_id as string)));
    expect(ids.length).toBeGreaterThanOrEqual(documents.length);
  });

  test("--copy-existing publishes documents inserted before it started, then those inserted during and after the copy", async () => {
    const names = await setUp("ms-copy", 2);
    const before = makeEvents(400);
    const during = makeEvents(40, 400);
    const after = makeEvents(20, 440);
    await withMongo((c) => insertInBatches(c, names.db, before, 100, 0));
    const consumer = await startConsumer([names.events]);
    cleanups.push(() => consumer.stop());

    const source = startSource(names, ["--copy-existing", "--batch-size", "20"]);
    cleanups.push(async () => void source.child.kill("SIGKILL"));
    await source.waitForLog("copy of existing documents started");
    await withMongo((c) => insertInBatches(c, names.db, during, 10, 0));
    await source.waitForLog("change stream opened");
    await withMongo((c) => insertInBatches(c, names.db, after, 10, 0));
    const all = [...before, ...during, ...after];
    await consumer.waitFor((r) => new Set(eventIds(r, names.events)).size >= all.length);
    source.child.kill("SIGTERM");
    expect((await source.exited()).code).toBe(0);

    expect(new Set(eventIds(consumer.records, names.events))).toEqual(
      new Set(all.map((d) => d.event_id as string)),
    );
    const finished = logLines(source.stdout()).find((l) => l.msg === "copy of existing documents finished");
    expect(finished?.copied).toBeGreaterThanOrEqual(before.length);
  });

  test("documents that are not valid events go to the dead-letter topic with reason, path, source and _id", async () => {
    const names = await setUp("ms-dlq", 1);
    const [valid, wrongType, unknownType, badTime] = makeEvents(4, 2); // ids 2..5 are player_kill / match_start
    if (!valid || !wrongType || !unknownType || !badTime) throw new Error("makeEvents");
    const dated = {
      ...valid,
      event_id: "5b0c6f7e-1f0a-4c53-9d43-111111111111",
      event_time: new Date(1_750_000_123_456),
    };
    const bad = [
      { _id: new ObjectId(), ...wrongType, data: { ...(wrongType.data as object), weapon: 42 } },
      { _id: new ObjectId(), ...unknownType, event_type: "teleported" },
      { _id: new ObjectId(), ...badTime, event_time: "yesterday" },
    ];
    const consumer = await startConsumer([names.events, names.dlq]);
    cleanups.push(() => consumer.stop());
    const source = startSource(names, []);
    cleanups.push(async () => void source.child.kill("SIGKILL"));
    await source.waitForLog("change stream opened");
    await withMongo((c) =>
      c
        .db(names.db)
        .collection("telemetry")
        .insertMany([valid, dated, ...bad]),
    );
    await consumer.waitFor((r) => r.length >= 5);
    source.child.kill("SIGTERM");
    expect((await source.exited()).code).toBe(0);

    const events = consumer.records.filter((r) => r.topic === names.events);
    expect(events.map((r) => (JSON.parse(r.value) as { event_id: string }).event_id).sort()).toEqual(
      [valid.event_id as string, dated.event_id].sort(),
    );
    // A BSON date becomes epoch milliseconds.
    const datedRecord = events.find((r) => r.value.includes(dated.event_id));
    expect((JSON.parse(datedRecord?.value ?? "{}") as { event_time: number }).event_time).toBe(
      1_750_000_123_456,
    );

    const letters = consumer.records.filter((r) => r.topic === names.dlq);
    expect(letters).toHaveLength(3);
    const expectedPaths = ["data.weapon", "event_type", "event_time"];
    bad.forEach((document, i) => {
      const id = BSON.EJSON.stringify(document._id, { relaxed: true });
      const letter = letters.find((l) => l.headers["gametel.source.document_id"] === id);
      expect(letter, `dead letter for ${id}`).toBeDefined();
      expect(letter?.headers["gametel.error.path"]).toBe(expectedPaths[i]);
      expect(letter?.headers["gametel.error.reason"]?.length).toBeGreaterThan(0);
      expect(letter?.headers["gametel.source"]).toBe(`mongodb:${names.db}.telemetry`);
      expect(BSON.EJSON.parse(letter?.value ?? "{}", { relaxed: true })).toMatchObject({ _id: document._id });
    });
  });

  test("an unusable saved resume token fails with one clear line; --reset recovers", async () => {
    const names = await setUp("ms-token", 1);
    await withMongo((c) =>
      c
        .db(names.db)
        .collection("_gametel_source_offsets")
        .insertOne({
          _id: names.source as never,
          namespace: `${names.db}.telemetry`,
          phase: "stream",
          resume_token: { _data: "this-is-not-a-resume-token" },
          copied: 0,
          updated_at: new Date(),
        }),
    );
    const broken = startSource(names, ["--exit-when-idle", "1000"]);
    const exit = await broken.exited();
    expect(exit.code).toBe(2);
    const lines = broken.stderr().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^gametel-mongo-source: the saved resume point of source ".+" is no longer valid/,
    );
    expect(lines[0]).toContain(
      `Recover with: gametel-mongo-source --name ${names.source} --reset --copy-since `,
    );

    const consumer = await startConsumer([names.events]);
    cleanups.push(() => consumer.stop());
    const documents = makeEvents(5);
    await withMongo((c) => insertInBatches(c, names.db, documents, 5, 0));
    const recovered = startSource(names, ["--reset", "--copy-existing", "--exit-when-idle", "1500"]);
    expect((await recovered.exited()).code).toBe(0);
    await consumer.waitFor((r) => r.length >= documents.length);
    expect(new Set(eventIds(consumer.records, names.events))).toEqual(
      new Set(documents.map((d) => d.event_id as string)),
    );
  });
});
