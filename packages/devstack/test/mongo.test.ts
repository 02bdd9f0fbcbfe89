// A document and a change-stream event through the official driver.
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mongoUri, uniqueName } from "../src/index.mjs";

const client = new MongoClient(mongoUri());
const db = client.db(uniqueName("smoke"));

beforeAll(async () => {
  await client.connect();
});

afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await client.close();
});

describe("mongo smoke", () => {
  test("insert a document and find it", async () => {
    const players = db.collection<{ _id: string; name: string; score: number }>("players");
    await players.insertOne({ _id: "p1", name: "Ada", score: 42 });
    expect(await players.findOne({ score: { $gt: 40 } })).toEqual({ _id: "p1", name: "Ada", score: 42 });
  });

  test("a change stream sees an insert made after it opened", async () => {
    const matches = db.collection<{ matchId: string; winner: string }>("matches");
    const stream = matches.watch([], { maxAwaitTimeMS: 200 });
    try {
      // tryNext runs the stream's opening aggregate: from then on the server records our changes.
      expect(await stream.tryNext()).toBeNull();
      const { insertedId } = await matches.insertOne({ matchId: "m1", winner: "Ada" });
      const change = await stream.next();
      expect(change.operationType).toBe("insert");
      if (change.operationType !== "insert") return;
      expect(change.documentKey._id).toEqual(insertedId);
      expect(change.fullDocument).toMatchObject({ matchId: "m1", winner: "Ada" });
    } finally {
      await stream.close();
    }
  });

  test("the server reports MongoDB 4.2 (wire version 8) or newer", async () => {
    // isMaster, not hello: the local server predates the hello command (MongoDB 4.4.2).
    const isMaster = await client.db("admin").command({ isMaster: 1 });
    expect(isMaster.maxWireVersion).toBeGreaterThanOrEqual(8);
    const buildInfo = await client.db("admin").command({ buildInfo: 1 });
    const [major = 0, minor = 0] = buildInfo.versionArray as number[];
    expect(major * 100 + minor).toBeGreaterThanOrEqual(402);
  });
});
