import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";
import { ndjsonLines, recount } from "@gametel/generator/testing";

const FAULTS = ["--duplicates", "0.02", "--out-of-order", "0.02", "--late", "0.02", "--malformed", "0.02"];

describe("generator CLI to NDJSON", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gametel-generator-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const generate = async (name: string, args: string[]) => {
    const out = join(dir, `${name}.ndjson`);
    const summaryPath = join(dir, `${name}.summary.json`);
    const run = await runCli([...args, "--out", out, "--summary", summaryPath, "--progress", "off"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const text = await readFile(out, "utf8");
    return {
      text,
      hash: createHash("sha256").update(text).digest("hex"),
      summary: JSON.parse(await readFile(summaryPath, "utf8")) as Record<string, number | string>,
    };
  };

  it("writes byte-identical NDJSON for the same seed, different NDJSON for another seed", async () => {
    const args = ["--seed", "1234", "--events", "30000", ...FAULTS];
    const first = await generate("a", args);
    const second = await generate("b", args);
    const other = await generate("c", ["--seed", "1235", "--events", "30000", ...FAULTS]);
    expect(second.hash).toBe(first.hash);
    expect(other.hash).not.toBe(first.hash);
    expect(ndjsonLines(first.text)).toHaveLength(30000);
  });

  it("reports the fault counts that an independent recount of the file finds", async () => {
    const { text, summary } = await generate("faults", [
      "--seed",
      "99",
      "--events",
      "60000",
      "--window-ms",
      "60000",
      "--grace-ms",
      "10000",
      ...FAULTS,
    ]);
    const counts = recount(ndjsonLines(text), 60_000, 10_000);
    expect(counts).toEqual({
      valid_distinct: summary["valid_distinct"],
      duplicates: summary["duplicates"],
      out_of_order: summary["out_of_order"],
      late: summary["late"],
      malformed: summary["malformed"],
      total_records: summary["total_records"],
    });
    expect(summary["generated"]).toBe(summary["valid_distinct"]);
    for (const fault of ["duplicates", "out_of_order", "late", "malformed"] as const) {
      expect(counts[fault]).toBeGreaterThan(300);
    }
  });
});
