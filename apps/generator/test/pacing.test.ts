import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, summaryOf } from "./support/cli.js";
import { ndjsonLines, recount } from "@gametel/generator/testing";

describe("generator CLI pacing and stopping", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gametel-generator-pacing-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("holds --rate 2000 within 10% over 10 s", async () => {
    const out = join(dir, "rate.ndjson");
    const run = await runCli(["--rate", "2000", "--duration", "10", "--out", out, "--progress", "off"]);
    expect(run.code).toBe(0);
    const summary = summaryOf(run);
    const count = ndjsonLines(await readFile(out, "utf8")).length;
    expect(count).toBe(summary.total_records);
    const elapsedS = (summary["elapsed_ms"] as number) / 1000;
    expect(elapsedS).toBeGreaterThanOrEqual(10);
    expect(elapsedS).toBeLessThan(11);
    expect(count).toBeGreaterThanOrEqual(18_000);
    expect(count).toBeLessThanOrEqual(22_000);
    expect(Math.abs(count / elapsedS - 2000)).toBeLessThanOrEqual(200);
  }, 60_000);

  it.each(["SIGINT", "SIGTERM"] as const)(
    "stops cleanly on %s: held records written, file complete, exit 0",
    async (signal) => {
      const out = join(dir, `${signal}.ndjson`);
      const run = await runCli(
        [
          "--rate",
          "3000",
          "--out",
          out,
          "--late",
          "0.05",
          "--out-of-order",
          "0.05",
          "--duplicates",
          "0.05",
          "--progress",
          "lines",
        ],
        { signalAfterStartMs: 2500, signal },
      );
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`${signal}: stopping`);
      const summary = summaryOf(run);
      expect(summary["stopped_by"]).toBe("signal");
      expect(summary["generated"]).toBe(summary["valid_distinct"]);
      const lines = ndjsonLines(await readFile(out, "utf8"));
      expect(lines.length).toBe(summary.total_records);
      expect(lines.length).toBeGreaterThan(1000);
      const counts = recount(lines, 300_000, 60_000);
      expect(counts.malformed).toBe(0);
      expect(counts.duplicates).toBe(summary["duplicates"]);
      expect(counts.out_of_order).toBe(summary["out_of_order"]);
    },
    60_000,
  );
});
