import { createHash } from "node:crypto";
import { decodeEvent, partitionKey } from "@gametel/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recount } from "./testing/recount.js";
import type { GeneratedRecord, GeneratorOptions } from "./Generator.js";
import { createGenerator } from "./Generator.js";

const records = (options: GeneratorOptions): GeneratedRecord[] => [...createGenerator(options)];
const ndjson = (options: GeneratorOptions): string =>
  records(options)
    .map((r) => r.json + "\n")
    .join("");
const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const FAULTS = { duplicates: 0.03, outOfOrder: 0.03, late: 0.02, malformed: 0.03 } as const;

describe("createGenerator", () => {
  it("gives byte-identical records for the same seed and options, and different ones for another seed", () => {
    const options = { seed: 77, maxRecords: 5000, ...FAULTS };
    expect(sha256(ndjson(options))).toBe(sha256(ndjson(options)));
    expect(sha256(ndjson({ ...options, seed: 78 }))).not.toBe(sha256(ndjson(options)));
  });

  it("writes exactly maxRecords records, held-back ones included", () => {
    for (const maxRecords of [0, 1, 2, 3, 17, 4000]) {
      expect(records({ seed: 3, maxRecords, ...FAULTS, late: 0.2 })).toHaveLength(maxRecords);
    }
  });

  it("decodes every valid record with @gametel/core, under its partition key, and rejects every malformed one", () => {
    const all = records({ seed: 5, maxRecords: 20_000, ...FAULTS });
    const wrong = all.filter((r) => {
      const decoded = decodeEvent(r.json);
      return r.kind === "malformed" ? decoded.ok : !decoded.ok || partitionKey(decoded.event) !== r.key;
    });
    expect(wrong).toEqual([]);
    expect(all.some((r) => r.kind === "malformed")).toBe(true);
  });

  it("reports exactly the faults found in its output, recounted independently", () => {
    const generator = createGenerator({
      seed: 21,
      maxRecords: 40_000,
      windowMs: 60_000,
      graceMs: 10_000,
      ...FAULTS,
    });
    const lines = [...generator].map((r) => r.json);
    const summary = generator.summary();
    const {
      seed: _seed,
      generated,
      first_event_time,
      last_event_time,
      window_ms,
      grace_ms,
      ...counts
    } = summary;
    expect(counts).toEqual(recount(lines, window_ms, grace_ms));
    expect(generated).toBe(summary.valid_distinct);
    expect(first_event_time).toBeLessThan(last_event_time as number);
    // Each kind of fault is actually there.
    expect(Math.min(counts.duplicates, counts.out_of_order, counts.late, counts.malformed)).toBeGreaterThan(
      100,
    );
  });

  it("matches its summary to an independent recount for any seed and fault mix", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          maxRecords: fc.integer({ min: 0, max: 3000 }),
          duplicates: fc.double({ min: 0, max: 0.5, noNaN: true }),
          outOfOrder: fc.double({ min: 0, max: 0.3, noNaN: true }),
          late: fc.double({ min: 0, max: 0.3, noNaN: true }),
          malformed: fc.double({ min: 0, max: 0.5, noNaN: true }),
        }),
        (options) => {
          const generator = createGenerator({
            ...options,
            windowMs: 20_000,
            graceMs: 5000,
            players: 12,
            matches: 2,
          });
          const lines = [...generator].map((r) => r.json);
          const s = generator.summary();
          expect(lines).toHaveLength(options.maxRecords);
          expect({
            valid_distinct: s.valid_distinct,
            duplicates: s.duplicates,
            out_of_order: s.out_of_order,
            late: s.late,
            malformed: s.malformed,
            total_records: s.total_records,
          }).toEqual(recount(lines, 20_000, 5000));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("never changes the game when faults change: valid events are a prefix of the fault-free run", () => {
    const clean = records({ seed: 8, maxRecords: 10_000 }).map((r) => r.json);
    const faulty = records({ seed: 8, maxRecords: 10_000, ...FAULTS, malformedFormat: "document" });
    const distinct = [...new Set(faulty.filter((r) => r.kind !== "malformed").map((r) => r.json))].sort();
    expect(distinct).toEqual(clean.slice(0, distinct.length).sort());
  });

  it("keeps event time in order per key without faults", () => {
    const last = new Map<string, number>();
    const backwards = records({ seed: 2, maxRecords: 20_000 }).filter((r) => {
      const before = last.get(r.key) ?? -Infinity;
      last.set(r.key, r.eventTime);
      return r.eventTime < before;
    });
    expect(backwards).toEqual([]);
  });

  it("writes what it held back when stopped, then ends", () => {
    const generator = createGenerator({ seed: 4, late: 0.3, outOfOrder: 0.3 });
    for (let i = 0; i < 3000; i++) generator.next();
    const before = generator.summary();
    expect(before.generated).toBeGreaterThan(before.valid_distinct);
    generator.stop();
    while (generator.next() !== undefined);
    const after = generator.summary();
    expect(after.valid_distinct).toBe(after.generated);
    expect(after.generated).toBe(before.generated);
    expect(generator.next()).toBeUndefined();
  });

  it("makes malformed MongoDB documents that are insertable: no $ or dotted keys", () => {
    const hasBadKey = (value: unknown): boolean =>
      typeof value === "object" &&
      value !== null &&
      Object.entries(value).some(([k, v]) => k.startsWith("$") || k.includes(".") || hasBadKey(v));
    const bad = records({ seed: 6, maxRecords: 5000, malformed: 0.3, malformedFormat: "document" }).filter(
      (r) => r.kind === "malformed" && (r.document === undefined || hasBadKey(r.document)),
    );
    expect(bad).toEqual([]);
  });

  it.each([
    [{ players: 3, matches: 2 }, /at least 2 per concurrent match/],
    [{ duplicates: 1.5 }, /duplicates must be a fraction/],
    [{ outOfOrder: 0.6, late: 0.6 }, /must not exceed 1/],
    [{ gameId: "bad id" }, /gameId must be/],
    [{ maxRecords: -1 }, /maxRecords must be an integer/],
    [{ windowMs: 0 }, /windowMs must be an integer >= 1/],
  ] as const)("refuses bad options at once: %o", (options, message) => {
    expect(() => createGenerator(options)).toThrow(message);
  });
});
