import { decodeEvent, decodeEventUnknown } from "@gametel/core";
import { describe, expect, it } from "vitest";
import { createGenerator } from "./Generator.js";
import type { MalformedRecord } from "./Generator.js";
import { Random } from "./internal/Random.js";
import { createMalformedFactory } from "./Malformed.js";

const template = [...createGenerator({ seed: 12, maxRecords: 3000 })].flatMap((r) =>
  r.kind === "event" ? [r.event] : [],
);

const sample = (format: "json" | "document") => {
  const make = createMalformedFactory(Random.fromSeed(99), format);
  return template.map((event) => ({ event, bad: make(event) }));
};

describe("createMalformedFactory", () => {
  it("breaks every rule kind in the json format, each rejected by @gametel/core with an error path", () => {
    const byVariant = new Map<string, string[]>();
    for (const { bad } of sample("json")) {
      const result = decodeEvent(bad.json);
      const reasons = byVariant.get(bad.variant) ?? [];
      byVariant.set(bad.variant, reasons);
      reasons.push(result.ok ? "ACCEPTED" : `${result.error.path}: ${result.error.reason}`);
      expect(bad.json).not.toContain("\n");
    }
    expect([...byVariant.keys()].sort()).toEqual([
      "bad_data",
      "bad_version",
      "dollar_key",
      "dotted_key",
      "invalid_id",
      "missing_data",
      "missing_field",
      "non_finite",
      "not_an_object",
      "truncated_json",
      "unknown_event_type",
      "wrong_type",
    ]);
    expect([...byVariant.values()].flat().filter((r) => r === "ACCEPTED")).toEqual([]);
  });

  it("keeps malformed documents insertable and rejected as documents too", () => {
    const results = sample("document").map(({ bad }) => bad);
    expect(results.every((bad) => bad.document !== undefined)).toBe(true);
    expect(results.filter((bad) => decodeEventUnknown(bad.document).ok)).toEqual([]);
    expect(new Set(results.map((bad) => bad.variant)).size).toBe(7);
  });

  it("gives a malformed record a fresh event_id, never its template's", () => {
    const reused = sample("document").filter(
      ({ event, bad }) =>
        (bad.document as MalformedRecord["document"] & { event_id?: string }).event_id === event.event_id,
    );
    expect(reused).toEqual([]);
  });
});
