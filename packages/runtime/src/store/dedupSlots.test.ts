import fc from "fast-check";
import type { Binary } from "mongodb";
import { BSON } from "mongodb";
import { describe, expect, it } from "vitest";
import {
  DEDUP_BUCKET_SLOTS,
  dedupBucketId,
  dedupBuckets,
  dedupSlotFields,
  packDedupChunk,
  readDedupSlots,
  unpackDedupChunk,
} from "./dedupSlots.js";

const N = DEDUP_BUCKET_SLOTS;
const hexId = (i: number) => i.toString(16).padStart(32, "0");

/** Bucket documents as MongoDB would hold them after `$set`ting the given fields, through a BSON round trip. */
function bucketDocs(writes: readonly [number, Record<string, unknown>][], key = "k") {
  const docs = new Map<string, Record<string, Record<string, unknown>>>();
  for (const [bucket, set] of writes) {
    const id = dedupBucketId(key, bucket);
    const doc = docs.get(id) ?? {};
    for (const [path, value] of Object.entries(set)) {
      const [field, slot] = path.split(".") as [string, string];
      doc[field] = { ...doc[field], [slot]: value };
    }
    docs.set(id, doc);
  }
  return new Map([...docs].map(([id, doc]) => [id, BSON.deserialize(BSON.serialize(doc))]));
}

describe("dedup slots", () => {
  it.each([
    [0, 0, []],
    [0, 1, [0]],
    [N - 1, N + 1, [0, 1]],
    [N, 2 * N, [1]],
    [3, 3 * N + 1, [0, 1, 2, 3]],
  ])("slots %i to %i lie in buckets %j", (from, to, buckets) => {
    expect(dedupBuckets(from, to)).toEqual(buckets);
  });

  it("sets one packed chunk per bucket the new slots touch, and reads them back in order", () => {
    const ids = Array.from({ length: 5 }, (_, i) => [hexId(i), 100 + i] as const);
    const fields = dedupSlotFields({ key: "k", from: N - 2, ids });
    expect(fields.map(([bucket, set]) => [bucket, Object.keys(set)])).toEqual([
      [0, [`c.${N - 2}_2`]],
      [1, ["c.0_3"]],
    ]);
    const docs = bucketDocs(fields);
    expect(readDedupSlots({ key: "k", from: N - 1, to: N + 3 }, docs)).toEqual(ids.slice(1, 5));
    expect(() => readDedupSlots({ key: "k", from: N - 3, to: N }, docs)).toThrow(`lacks slot ${N - 3}`);
  });

  it.each([
    ["normalised", (i: number) => hexId(i * 7919)],
    ["dashed", (i: number) => hexId(i * 7919).replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-")],
  ])("takes about 20 bytes per %s UUID id, a tenth of a second apart", (_, uuid) => {
    const ids = Array.from({ length: 20 }, (_, i) => [uuid(i), 1_765_000_000_000 + i * 100] as const);
    const [[, set]] = dedupSlotFields({ key: "k", from: 0, ids }) as [[number, Record<string, Binary>]];
    expect(BSON.calculateObjectSize(set) / ids.length).toBeLessThan(21);
  });

  it("reads slots written by the string layout before chunks", () => {
    const docs = bucketDocs([[0, { "s.0": `${hexId(1)}@5`, "s.1": "not-hex@7" }]]);
    expect(readDedupSlots({ key: "k", from: 0, to: 2 }, docs)).toEqual([
      [hexId(1), 5],
      ["not-hex", 7],
    ]);
  });

  it("packs any ids and integer times losslessly", () => {
    const entry = fc.tuple(
      fc.oneof(
        fc.stringMatching(/^[0-9a-f]{32}$/),
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.uuid(),
        fc.uuid().map((u) => u.toUpperCase()),
      ),
      fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (entries) => {
        expect(unpackDedupChunk(packDedupChunk(entries))).toEqual(entries);
      }),
    );
  });

  it("reads the same slots for any split into commits, overlapping replays and zombies written in any order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * N }),
        fc.integer({ min: 1, max: 2 * N }),
        fc.array(fc.array(fc.integer({ min: 1, max: N + 50 }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (start, total, splits, order) => {
          const ids = Array.from({ length: total }, (_, i) => [hexId(start + i), 1000 + start + i] as const);
          const writes: [number, Record<string, unknown>][] = [];
          for (const split of splits) {
            for (let at = 0, k = 0; at < total; k++) {
              const part = ids.slice(at, at + split[k % split.length]!);
              writes.push(...dedupSlotFields({ key: "k", from: start + at, ids: part }));
              at += part.length;
            }
          }
          const shuffled = writes
            .map((w) => [order.next().value as number, w] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, w]) => w);
          expect(readDedupSlots({ key: "k", from: start, to: start + total }, bucketDocs(shuffled))).toEqual(
            ids,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("rejects a time it cannot pack exactly", () => {
    expect(() => packDedupChunk([[hexId(1), 2 ** 51]])).toThrow("out of range");
    expect(() => packDedupChunk([[hexId(1), 1.5]])).toThrow("out of range");
  });

  it("rejects a truncated chunk", () => {
    const chunk = packDedupChunk([[hexId(3), 42]]);
    expect(() => unpackDedupChunk(chunk.subarray(0, chunk.length - 2))).toThrow("truncated");
  });
});
