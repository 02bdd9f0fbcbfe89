#!/usr/bin/env node
// Probes what a MongoDB endpoint supports, through the official driver: one line per feature,
// "ok" or the server's error. Run it against the local server and against a real MongoDB to compare:
//   node packages/devstack/tools/mongo-compat.mjs [mongodb-uri]
// It works in a database of its own (gametel-compat-<random>) and drops it at the end.
import { randomBytes } from "node:crypto";
import { Decimal128, Long, MongoClient } from "mongodb";

const uri = process.argv[2] ?? process.env.MONGODB_URI ?? "mongodb://localhost:27017";
const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
const db = client.db(`gametel-compat-${randomBytes(4).toString("hex")}`);
const events = db.collection("events");
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @type {[string, string][]} */
const rows = [];
/**
 * @param {string} name
 * @param {() => Promise<unknown>} probe returns a short note, or throws
 */
async function check(name, probe) {
  try {
    const note = await probe();
    const shown = typeof note === "string" || typeof note === "number";
    rows.push([name, shown ? `ok: ${String(note)}` : "ok"]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    rows.push([name, `NO: ${message.split("\n")[0]?.slice(0, 140)}`]);
  }
}
/** @param {boolean} condition @param {string} what */
function expectThat(condition, what) {
  if (!condition) throw new Error(what);
}

/** @param {object[]} pipeline */
const agg = (pipeline) => events.aggregate(pipeline).toArray();

await client.connect();
await events.insertMany([
  { player: "ada", kind: "kill", score: 3, at: new Date("2026-01-01T10:00:05Z"), tags: ["a", "b"] },
  { player: "ada", kind: "death", score: 1, at: new Date("2026-01-01T10:01:10Z"), tags: ["b"] },
  { player: "bob", kind: "kill", score: 5, at: new Date("2026-01-01T10:02:00Z"), tags: [] },
]);

const info = await db.admin().command({ buildInfo: 1 });
const isMaster = await db.admin().command({ isMaster: 1 });
rows.push(["buildInfo.version", String(info.version)]);
rows.push(["isMaster.maxWireVersion", String(isMaster.maxWireVersion)]);
rows.push(["isMaster.setName (replica set)", String(isMaster.setName ?? "none")]);
rows.push(["isMaster.logicalSessionTimeoutMinutes", String(isMaster.logicalSessionTimeoutMinutes ?? "none")]);
await check("command hello", () => db.admin().command({ hello: 1 }));
await check("command serverStatus", () => db.admin().command({ serverStatus: 1 }));
await check("command listDatabases", () => db.admin().command({ listDatabases: 1 }));
await check("command collStats", () => db.command({ collStats: "events" }));
await check("command dbStats", () => db.command({ dbStats: 1 }));

// Types
await check("Decimal128 / Long / Date round trip", async () => {
  const types = db.collection("types");
  await types.insertOne({
    _id: /** @type {any} */ ("t"),
    d: Decimal128.fromString("1.10"),
    l: Long.fromString("9007199254740993"),
    at: new Date(0),
  });
  const doc = await types.findOne({}, { promoteLongs: false });
  expectThat(doc?.d instanceof Decimal128 && doc.d.toString() === "1.10", "Decimal128 changed");
  expectThat(doc?.l instanceof Long && doc.l.toString() === "9007199254740993", "Long changed");
  expectThat(doc?.at instanceof Date && doc.at.getTime() === 0, "Date changed");
});

// Stages
const stages = {
  $match: [{ $match: { kind: "kill" } }],
  $group: [{ $group: { _id: "$player", n: { $sum: 1 } } }],
  $sort: [{ $sort: { score: -1 } }],
  $project: [{ $project: { player: 1 } }],
  $addFields: [{ $addFields: { x: 1 } }],
  $set: [{ $set: { x: 1 } }],
  $unset: [{ $unset: "tags" }],
  $unwind: [{ $unwind: "$tags" }],
  $lookup: [{ $lookup: { from: "events", localField: "player", foreignField: "player", as: "same" } }],
  "$lookup (pipeline)": [
    {
      $lookup: {
        from: "events",
        let: { p: "$player" },
        pipeline: [{ $match: { $expr: { $eq: ["$player", "$$p"] } } }],
        as: "same",
      },
    },
  ],
  $graphLookup: [
    {
      $graphLookup: {
        from: "events",
        startWith: "$player",
        connectFromField: "player",
        connectToField: "player",
        as: "g",
      },
    },
  ],
  $facet: [{ $facet: { a: [{ $count: "n" }], b: [{ $limit: 1 }] } }],
  $bucket: [{ $bucket: { groupBy: "$score", boundaries: [0, 2, 10] } }],
  $bucketAuto: [{ $bucketAuto: { groupBy: "$score", buckets: 2 } }],
  $count: [{ $count: "n" }],
  $sortByCount: [{ $sortByCount: "$kind" }],
  $replaceRoot: [{ $replaceRoot: { newRoot: { p: "$player" } } }],
  $replaceWith: [{ $replaceWith: { p: "$player" } }],
  $sample: [{ $sample: { size: 1 } }],
  $skip: [{ $skip: 1 }],
  $limit: [{ $limit: 1 }],
  $redact: [{ $redact: "$$KEEP" }],
  $unionWith: [{ $unionWith: "events" }],
  $setWindowFields: [
    {
      $setWindowFields: {
        partitionBy: "$player",
        sortBy: { at: 1 },
        output: { run: { $sum: "$score", window: { documents: ["unbounded", "current"] } } },
      },
    },
  ],
  $densify: [{ $densify: { field: "score", range: { step: 1, bounds: "full" } } }],
  $fill: [{ $fill: { output: { score: { value: 0 } } } }],
  $out: [{ $match: {} }, { $out: "events_out" }],
  $merge: [
    { $group: { _id: "$player", n: { $sum: 1 } } },
    { $merge: { into: "events_merged", whenMatched: "replace", whenNotMatched: "insert" } },
  ],
};
for (const [name, pipeline] of Object.entries(stages)) await check(`stage ${name}`, () => agg(pipeline));

// Accumulators in $group
const accumulators = {
  $sum: { $sum: "$score" },
  $avg: { $avg: "$score" },
  $min: { $min: "$score" },
  $max: { $max: "$score" },
  $first: { $first: "$score" },
  $last: { $last: "$score" },
  $push: { $push: "$score" },
  $addToSet: { $addToSet: "$kind" },
  $stdDevPop: { $stdDevPop: "$score" },
  $stdDevSamp: { $stdDevSamp: "$score" },
  $mergeObjects: { $mergeObjects: { k: "$kind" } },
  $count: { $count: {} },
  $top: { $top: { sortBy: { score: -1 }, output: "$score" } },
  $topN: { $topN: { n: 2, sortBy: { score: -1 }, output: "$score" } },
  $bottom: { $bottom: { sortBy: { score: -1 }, output: "$score" } },
  $firstN: { $firstN: { n: 2, input: "$score" } },
  $maxN: { $maxN: { n: 2, input: "$score" } },
  $percentile: { $percentile: { input: "$score", p: [0.5], method: "approximate" } },
  $median: { $median: { input: "$score", method: "approximate" } },
};
for (const [name, accumulator] of Object.entries(accumulators)) {
  await check(`accumulator ${name}`, () => agg([{ $group: { _id: "$player", v: accumulator } }]));
}

// Expression operators in $project
const expressions = {
  $cond: { $cond: [{ $gt: ["$score", 2] }, "hi", "lo"] },
  $switch: { $switch: { branches: [{ case: { $gt: ["$score", 2] }, then: "hi" }], default: "lo" } },
  $ifNull: { $ifNull: ["$missing", 0] },
  $filter: { $filter: { input: "$tags", cond: { $eq: ["$$this", "a"] } } },
  $map: { $map: { input: "$tags", in: { $concat: ["$$this", "!"] } } },
  $reduce: { $reduce: { input: "$tags", initialValue: "", in: { $concat: ["$$value", "$$this"] } } },
  $size: { $size: "$tags" },
  $arrayElemAt: { $arrayElemAt: ["$tags", 0] },
  $concatArrays: { $concatArrays: ["$tags", ["z"]] },
  $objectToArray: { $objectToArray: { a: 1 } },
  $arrayToObject: { $arrayToObject: [[["a", 1]]] },
  $round: { $round: [{ $divide: ["$score", 3] }, 2] },
  $trunc: { $trunc: [1.5] },
  $floor: { $floor: 1.5 },
  $mod: { $mod: ["$score", 2] },
  $toString: { $toString: "$score" },
  $toLong: { $toLong: "$score" },
  $toDecimal: { $toDecimal: "$score" },
  $toDate: { $toDate: { $toLong: 0 } },
  $dateToString: { $dateToString: { date: "$at", format: "%Y-%m-%dT%H:%M" } },
  $dateFromParts: { $dateFromParts: { year: 2026, month: 1, day: 1 } },
  $dateTrunc: { $dateTrunc: { date: "$at", unit: "minute" } },
  $dateAdd: { $dateAdd: { startDate: "$at", unit: "minute", amount: 1 } },
  $dateDiff: { $dateDiff: { startDate: "$at", endDate: "$at", unit: "second" } },
  $getField: { $getField: "score" },
  $setField: { $setField: { field: "x", input: "$$ROOT", value: 1 } },
  $literal: { $literal: "$x" },
  $let: { $let: { vars: { s: "$score" }, in: { $add: ["$$s", 1] } } },
  $regexMatch: { $regexMatch: { input: "$player", regex: "^a" } },
  $rand: { $rand: {} },
};
for (const [name, expression] of Object.entries(expressions)) {
  await check(`expression ${name}`, () => agg([{ $project: { v: expression } }]));
}

// Updates
/** @type {import("mongodb").Collection<any>} */
const updates = db.collection("updates");
await check("updateOne $inc/$max/$min with upsert", async () => {
  await updates.updateOne(
    { _id: /** @type {any} */ ("u1") },
    { $inc: { n: 1 }, $max: { hi: 5 }, $min: { lo: 5 }, $setOnInsert: { created: 1 } },
    { upsert: true },
  );
  await updates.updateOne(
    { _id: /** @type {any} */ ("u1") },
    { $inc: { n: 1 }, $max: { hi: 7 }, $min: { lo: 2 }, $setOnInsert: { created: 2 } },
    { upsert: true },
  );
  const doc = await updates.findOne({ _id: /** @type {any} */ ("u1") });
  expectThat(doc?.n === 2 && doc.hi === 7 && doc.lo === 2 && doc.created === 1, JSON.stringify(doc));
});
await check("update with an aggregation pipeline", async () => {
  await updates.updateOne({ _id: /** @type {any} */ ("u1") }, [{ $set: { total: { $add: ["$n", "$hi"] } } }]);
  const doc = await updates.findOne({ _id: /** @type {any} */ ("u1") });
  expectThat(doc?.total === 9, `total is ${doc?.total}`);
});
await check("arrayFilters", async () => {
  await updates.insertOne({ _id: /** @type {any} */ ("u2"), xs: [1, 5, 9] });
  await updates.updateOne(
    { _id: /** @type {any} */ ("u2") },
    { $set: { "xs.$[big]": 0 } },
    { arrayFilters: [{ big: { $gt: 4 } }] },
  );
  const doc = await updates.findOne({ _id: /** @type {any} */ ("u2") });
  expectThat(JSON.stringify(doc?.xs) === "[1,0,0]", JSON.stringify(doc?.xs));
});
await check("$push $each $slice", async () => {
  await updates.updateOne(
    { _id: /** @type {any} */ ("u2") },
    /** @type {any} */ ({ $push: { xs: { $each: [7, 8], $slice: -3 } } }),
  );
});
await check("findOneAndUpdate returnDocument after", async () => {
  const doc = await updates.findOneAndUpdate(
    { _id: /** @type {any} */ ("u1") },
    { $inc: { n: 1 } },
    { returnDocument: "after" },
  );
  expectThat(doc?.n === 3, JSON.stringify(doc));
});
await check("bulkWrite unordered with upserts", async () => {
  const result = await updates.bulkWrite(
    [
      { updateOne: { filter: { _id: /** @type {any} */ ("b1") }, update: { $inc: { n: 1 } }, upsert: true } },
      { replaceOne: { filter: { _id: /** @type {any} */ ("b2") }, replacement: { n: 1 }, upsert: true } },
    ],
    { ordered: false },
  );
  return `upserted ${result.upsertedCount}`;
});
await check("write concern majority", () => updates.insertOne({ w: 1 }, { writeConcern: { w: "majority" } }));

// Indexes and collections
await check("unique index rejects duplicates", async () => {
  await updates.createIndex({ key: 1 }, { unique: true, sparse: true });
  await updates.insertOne({ key: "k" });
  try {
    await updates.insertOne({ key: "k" });
  } catch {
    return;
  }
  throw new Error("duplicate accepted");
});
await check("compound index", () => events.createIndex({ player: 1, at: -1 }));
await check("partial index", () =>
  events.createIndex({ score: 1 }, { partialFilterExpression: { score: { $gt: 1 } } }),
);
await check("TTL index (created; expiry not checked here)", () =>
  events.createIndex({ at: 1 }, { expireAfterSeconds: 3600 }),
);
await check("text index + $text", async () => {
  await events.createIndex({ player: "text" });
  return (await events.find({ $text: { $search: "ada" } }).toArray()).length;
});
await check("collation (case-insensitive find)", async () => {
  const found = await events.find({ player: "ADA" }, { collation: { locale: "en", strength: 2 } }).toArray();
  expectThat(found.length === 2, `found ${found.length} of 2`);
});
await check("$jsonSchema validator enforced", async () => {
  const validated = await db.createCollection("validated", {
    validator: { $jsonSchema: { required: ["a"] } },
  });
  try {
    await validated.insertOne({ b: 1 });
  } catch {
    return;
  }
  throw new Error("created, but a document without the required field was accepted");
});
await check("capped collection", () => db.createCollection("capped", { capped: true, size: 4096 }));
await check("time series collection", async () => {
  await db.createCollection("series", { timeseries: { timeField: "at" } });
  const [collection] = await db.listCollections({ name: "series" }).toArray();
  expectThat(collection?.type === "timeseries", `created as type ${collection?.type}`);
});
await check("countDocuments / estimatedDocumentCount / distinct", async () => {
  return `${await events.countDocuments({ kind: "kill" })}/${await events.estimatedDocumentCount()}/${(await events.distinct("player")).length}`;
});

// Sessions and transactions
await check("multi-document transaction", async () => {
  const session = client.startSession();
  try {
    await session.withTransaction(async () => {
      await updates.insertOne({ tx: 1 }, { session });
      await updates.insertOne({ tx: 2 }, { session });
    });
  } finally {
    await session.endSession();
  }
});

// Change streams
/**
 * @param {import("mongodb").ChangeStream<any, any>} stream
 * @param {() => Promise<unknown>} write
 */
async function firstChange(stream, write) {
  try {
    await stream.tryNext();
    await write();
    const next = await Promise.race([stream.next(), sleep(3_000).then(() => undefined)]);
    if (next === undefined) throw new Error("no event within 3 s");
    return next;
  } finally {
    await stream.close().catch(() => undefined);
  }
}
const watched = db.collection("watched");
await check("collection change stream: insert", async () => {
  const change = await firstChange(watched.watch([], { maxAwaitTimeMS: 200 }), () =>
    watched.insertOne({ _id: /** @type {any} */ ("w1"), v: 1 }),
  );
  return `fields ${Object.keys(change).sort().join(",")}`;
});
await check("collection change stream: update event", async () => {
  const change = await firstChange(watched.watch([], { maxAwaitTimeMS: 200 }), () =>
    watched.updateOne({ _id: /** @type {any} */ ("w1") }, { $set: { v: 2 } }),
  );
  return `fields ${Object.keys(change).sort().join(",")}; fullDocument ${JSON.stringify(change.fullDocument)}; documentKey ${JSON.stringify(change.documentKey)}; updateDescription ${JSON.stringify(change.updateDescription)}`;
});
await check("collection change stream: fullDocument of an $inc update (no lookup)", async () => {
  const change = await firstChange(watched.watch([], { maxAwaitTimeMS: 200 }), () =>
    watched.updateOne({ _id: /** @type {any} */ ("w1") }, { $inc: { n: 1 } }),
  );
  return JSON.stringify(change.fullDocument);
});
await check("collection change stream: fullDocument updateLookup", async () => {
  const change = await firstChange(
    watched.watch([], { maxAwaitTimeMS: 200, fullDocument: "updateLookup" }),
    () => watched.updateOne({ _id: /** @type {any} */ ("w1") }, { $set: { v: 3 } }),
  );
  return JSON.stringify(change.fullDocument);
});
await check("collection change stream: $match on operationType", async () => {
  const change = await firstChange(
    watched.watch([{ $match: { operationType: "insert" } }], { maxAwaitTimeMS: 200 }),
    async () => {
      await watched.updateOne({ _id: /** @type {any} */ ("w1") }, { $set: { v: 4 } });
      await watched.insertOne({ _id: /** @type {any} */ ("w2") });
    },
  );
  expectThat(change.operationType === "insert", `got ${change.operationType}`);
});
await check("collection change stream: resumeAfter", async () => {
  const first = await firstChange(watched.watch([], { maxAwaitTimeMS: 200 }), () =>
    watched.insertOne({ _id: /** @type {any} */ ("w3") }),
  );
  await watched.insertOne({ _id: /** @type {any} */ ("w4") });
  /** @type {import("mongodb").ChangeStream<any, any>} */
  const stream = watched.watch([], { maxAwaitTimeMS: 200, resumeAfter: first._id });
  try {
    const next = await Promise.race([stream.next(), sleep(3_000).then(() => undefined)]);
    expectThat(next?.documentKey?._id === "w4", `got ${JSON.stringify(next?.documentKey)}`);
  } finally {
    await stream.close();
  }
});
await check("collection change stream: replace and delete", async () => {
  const r = await firstChange(watched.watch([], { maxAwaitTimeMS: 200 }), () =>
    watched.replaceOne({ _id: /** @type {any} */ ("w2") }, { v: 9 }),
  );
  const d = await firstChange(watched.watch([], { maxAwaitTimeMS: 200 }), () =>
    watched.deleteOne({ _id: /** @type {any} */ ("w2") }),
  );
  return `${r.operationType}, ${d.operationType}`;
});
await check("database change stream (db.watch)", async () => {
  await firstChange(db.watch([], { maxAwaitTimeMS: 200 }), () =>
    watched.insertOne({ _id: /** @type {any} */ ("w5") }),
  );
});
await check("cluster change stream (client.watch)", async () => {
  await firstChange(client.watch([], { maxAwaitTimeMS: 200 }), () =>
    watched.insertOne({ _id: /** @type {any} */ ("w6") }),
  );
});

await db.dropDatabase();
await client.close();
const width = Math.max(...rows.map(([name]) => name.length));
for (const [name, result] of rows) console.log(`${name.padEnd(width)}  ${result}`);
