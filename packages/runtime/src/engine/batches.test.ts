import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConsumedRecord } from "./Engine.js";
import { chunk, toPartitionBatches } from "./batches.js";

const record = (topic: string, partition: number, offset: number): ConsumedRecord => ({
  topic,
  partition,
  offset: BigInt(offset),
  key: null,
  value: null,
  timestamp: 0,
  headers: {},
});

describe("toPartitionBatches", () => {
  it("keeps every record once, one partition per batch, each partition's order intact, for any interleaving", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("a", "b"), fc.integer({ min: 0, max: 3 })), { maxLength: 60 }),
        (picks) => {
          const next = new Map<string, number>();
          const records = picks.map(([topic, partition]) => {
            const key = `${topic}:${partition}`;
            const offset = next.get(key) ?? 0;
            next.set(key, offset + 1);
            return record(topic, partition, offset);
          });
          const batches = toPartitionBatches(records);
          expect(batches.reduce((n, b) => n + b.records.length, 0)).toBe(records.length);
          expect(new Set(batches.map((b) => `${b.topic}:${b.partition}`)).size).toBe(batches.length);
          for (const batch of batches) {
            expect(
              batch.records.every((r) => r.topic === batch.topic && r.partition === batch.partition),
            ).toBe(true);
            expect(batch.records.map((r) => Number(r.offset))).toEqual(batch.records.map((_, i) => i));
          }
        },
      ),
    );
  });
});

describe("chunk", () => {
  it("slices in order without losing items", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 10 }), (items, size) => {
        const chunks = chunk(items, size);
        expect(chunks.flat()).toEqual(items);
        expect(chunks.every((c) => c.length >= 1 && c.length <= size)).toBe(true);
      }),
    );
  });

  it("refuses a size below one", () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});
