import { createGenerator } from "@gametel/generator";
import { MongoClient } from "mongodb";
import { partitionForKey } from "../src/engine/murmur2.js";
import { silentLogger } from "../src/ops/Logger.js";
import { createMetrics } from "../src/ops/Metrics.js";
import { coreModel } from "../src/processor/CoreModel.js";
import { StateCache } from "../src/processor/StateCache.js";
import { StreamTask } from "../src/processor/StreamTask.js";
import { MongoTaskStore } from "../src/store/internals/MongoTaskStore.js";
import { meteredTaskStore } from "../src/store/MeteredTaskStore.js";

const N = Number(process.argv[2] ?? 30000);
const BATCH = Number(process.argv[3] ?? 1000);
const P = 6;
const gen = [...createGenerator({ seed: 3, maxRecords: N })];
const client = await MongoClient.connect("mongodb://localhost:27017");
const db = client.db("gt-profile-" + Date.now().toString(36));
const metrics = createMetrics({ defaultMetrics: false });
const base = new MongoTaskStore({ db });
await base.ensureIndexes();
const store = meteredTaskStore(base, metrics);
const parts: any[][] = Array.from({ length: P }, () => []);
for (const r of gen) { const p = partitionForKey(r.key, P); parts[p]!.push({ topic: "t", partition: p, offset: BigInt(parts[p]!.length), key: Buffer.from(r.key), value: Buffer.from(r.json), timestamp: 0, headers: {} }); }
const model = coreModel();
const collector = { produce: () => Promise.resolve(), commit: () => Promise.resolve() };
const cache = new StateCache<any>(100000);
const t0 = Date.now();
let cpu = 0;
await Promise.all(parts.map(async (records, partition) => {
  const task = new StreamTask({ topic: "t", partition, model, store, cache, collector, topics: { deadLetter: "d", late: null, output: "o" }, logger: silentLogger });
  for (let i = 0; i < records.length; i += BATCH) await task.process({ topic: "t", partition, records: records.slice(i, i + BATCH) });
}));
const ms = Date.now() - t0;
console.log(`${N} events in ${ms} ms = ${Math.round(N / ms * 1000)} ev/s`);
const h = await metrics.storeWriteDuration.get();
for (const v of h.values) if (v.metricName?.endsWith("_sum")) console.log(v.labels.collection, "sum", v.value.toFixed(2), "s");
const ks = await db.collection("key_state").find().limit(1).toArray();
console.log("dedup bytes of one key:", String(ks[0]?.dedup).length);
await db.dropDatabase(); await client.close();
