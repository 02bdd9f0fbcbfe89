import { MongoClient } from "mongodb";
const client = await MongoClient.connect("mongodb://localhost:27017");
for (const N of [500, 20000]) {
  const db = client.db(`probe-${Date.now().toString(36)}`);
  const c = db.collection<{ _id: string; _offset: number; v: number }>("docs");
  for (let k = 0; k < N; k += 5000) await c.insertMany(Array.from({ length: Math.min(5000, N - k) }, (_, i) => ({ _id: `k${k + i}`, _offset: 0, v: 0 })));
  const time = async (name: string, f: (i: number) => Promise<unknown>, n = 100) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) await f(i);
    console.log(N, name, ((performance.now() - t) / n).toFixed(2), "ms/op");
  };
  await time("updateOne {_id}", (i) => c.updateOne({ _id: `k${(i * 7) % N}` }, { $set: { v: i } }));
  await time("updateOne {_id, _offset<}", (i) => c.updateOne({ _id: `k${(i * 7) % N}`, _offset: { $lt: i + 1 } }, { $set: { v: i, _offset: i + 1 } }));
  await time("bulkWrite 100 fenced upserts", (i) => c.bulkWrite(Array.from({ length: 100 }, (_, j) => ({ updateOne: { filter: { _id: `k${(i * 100 + j * 7) % N}`, $or: [{ _offset: { $lt: 1e9 } }, { _offset: { $exists: false } }] }, update: { $set: { v: i } }, upsert: true } })), { ordered: false }), 5);
  await db.dropDatabase();
}
await client.close();
