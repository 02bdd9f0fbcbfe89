// Real MongoDB applies each single-document write atomically, and a reader sees a document either before or after
// a write, never half of it. gametel's fencing and merge protocol relies on that (issue 13 saw a match document
// merged from a stale part). These tests hold the local server to the same guarantee, under contention from many
// connections at once.
import { MongoClient, type Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mongoUri } from "../src/index.mjs";

const CONNECTIONS = 12;
const WRITES = 150;
const FIELDS = 1000;
const clients: MongoClient[] = [];
const dbName = `gt-atomic-${Date.now().toString(36)}`;

beforeAll(async () => {
  for (let i = 0; i < CONNECTIONS; i += 1) clients.push(await MongoClient.connect(mongoUri()));
});

afterAll(async () => {
  await clients[0]?.db(dbName).dropDatabase();
  await Promise.all(clients.map((c) => c.close()));
});

const collection = (i: number) => clients[i]!.db(dbName).collection<Document & { _id: string }>("docs");

describe("local MongoDB server: single-document atomicity", () => {
  test("concurrent $inc and $set on one document lose no update", async () => {
    await collection(0).insertOne({ _id: "counter", n: 0 });
    await Promise.all(
      clients.map(async (_, i) => {
        for (let w = 0; w < WRITES; w += 1)
          await collection(i).updateOne({ _id: "counter" }, { $inc: { n: 1 }, $set: { [`by.c${i}`]: w } });
      }),
    );
    const doc = await collection(0).findOne({ _id: "counter" });
    expect(doc?.n).toBe(CONNECTIONS * WRITES);
    expect(doc?.by).toEqual(Object.fromEntries(clients.map((_, i) => [`c${i}`, WRITES - 1])));
  }, 120_000);

  test("a reader never sees a document half written", async () => {
    const fields = (v: number) => Object.fromEntries(Array.from({ length: FIELDS }, (_, f) => [`f${f}`, v]));
    await collection(0).insertOne({ _id: "wide", ...fields(0) });
    const torn: string[] = [];
    let writing = true;
    const writers = clients.slice(0, CONNECTIONS / 2).map(async (_, i) => {
      for (let w = 1; w <= WRITES; w += 1)
        await collection(i).updateOne({ _id: "wide" }, { $set: fields(i * 1000 + w) });
    });
    const readers = clients.slice(CONNECTIONS / 2).map(async (_, j) => {
      const i = CONNECTIONS / 2 + j;
      while (writing) {
        const doc = await collection(i).findOne({ _id: "wide" });
        const values = new Set(Array.from({ length: FIELDS }, (_, f) => doc?.[`f${f}`]));
        if (values.size !== 1) torn.push([...values].slice(0, 4).join(","));
      }
    });
    await Promise.all(writers);
    writing = false;
    await Promise.all(readers);
    expect(torn).toEqual([]);
  }, 120_000);
});
