import { describe, expect, it } from "vitest";
import {
  DEDUP_BUCKET_SLOTS,
  dedupBucketId,
  dedupBuckets,
  dedupSlotFields,
  readDedupSlots,
} from "./dedupSlots.js";

const N = DEDUP_BUCKET_SLOTS;

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

  it("sets only the new slots, per bucket, and reads them back in order", () => {
    const ids = Array.from({ length: 5 }, (_, i) => [`id${i}`, 100 + i] as const);
    const fields = dedupSlotFields({ key: "k", from: N - 2, ids });
    expect(fields).toEqual([
      [0, { [`s.${N - 2}`]: "id0@100", [`s.${N - 1}`]: "id1@101" }],
      [1, { "s.0": "id2@102", "s.1": "id3@103", "s.2": "id4@104" }],
    ]);
    const docs = new Map(
      fields.map(([bucket, set]) => [
        dedupBucketId("k", bucket),
        { s: Object.fromEntries(Object.entries(set).map(([f, v]) => [f.slice(2), v])) },
      ]),
    );
    expect(readDedupSlots({ key: "k", from: N - 1, to: N + 3 }, docs)).toEqual(ids.slice(1));
    expect(() => readDedupSlots({ key: "k", from: N - 3, to: N }, docs)).toThrow(`lacks slot ${N - 3}`);
  });
});
