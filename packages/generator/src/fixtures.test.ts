import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { FIXTURES, FIXTURES_DIR, buildFixture } from "../scripts/fixtures.js";
import { ndjsonLines, recount } from "./testing/recount.js";

describe.each(FIXTURES)("fixture $name", (spec) => {
  it("is exactly what the generator writes (regenerate with `pnpm fixtures`, never edit by hand)", async () => {
    const { ndjson, summaryJson } = buildFixture(spec);
    expect(await readFile(`${FIXTURES_DIR}${spec.name}.ndjson`, "utf8")).toBe(ndjson);
    expect(await readFile(`${FIXTURES_DIR}${spec.name}.summary.json`, "utf8")).toBe(summaryJson);
  });

  it("holds the faults its summary states, and some of each kind", async () => {
    const lines = ndjsonLines(await readFile(`${FIXTURES_DIR}${spec.name}.ndjson`, "utf8"));
    const { summary } = JSON.parse(await readFile(`${FIXTURES_DIR}${spec.name}.summary.json`, "utf8")) as {
      summary: Record<string, number>;
    };
    const counts = recount(lines, summary["window_ms"] as number, summary["grace_ms"] as number);
    expect(counts).toEqual({
      valid_distinct: summary["valid_distinct"],
      duplicates: summary["duplicates"],
      out_of_order: summary["out_of_order"],
      late: summary["late"],
      malformed: summary["malformed"],
      total_records: summary["total_records"],
    });
    expect(Math.min(counts.duplicates, counts.out_of_order, counts.late, counts.malformed)).toBeGreaterThan(
      0,
    );
  });
});
