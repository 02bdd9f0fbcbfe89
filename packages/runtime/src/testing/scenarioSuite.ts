import { describe, expect, it } from "vitest";
import { expectExact } from "./expectExact.js";
import { generatedDataset, hostileDataset } from "./generatedDataset.js";
import type { ProcessorLauncher } from "./launcher.js";
import { commitKillScenario, correctnessScenario, crashScenario, rebalanceScenario } from "./scenarios.js";

/**
 * Registers one processor app's end-to-end scenarios against the local broker and MongoDB server: the app's main as
 * child processes, MongoDB compared with an independent recomputation (correctness, hostile input, SIGKILLs,
 * kills inside commits, a rebalance). Each scenario uses fresh topics, group and database and removes them. `log` gets progress lines
 * (counts, kills, restarts).
 */
export function processorScenarioSuite(
  launcher: ProcessorLauncher,
  options: { readonly log: (line: string) => void; readonly timeoutMs?: number },
): void {
  const engine = launcher.name;
  const { log, timeoutMs = 240_000 } = options;

  describe(`${engine} end to end`, () => {
    it("correctness: results equal the recomputation, every record accounted for", async () => {
      const { records, summary } = generatedDataset(401);
      const report = await correctnessScenario(launcher, { records, timeoutMs });
      log(`${engine} correctness: ${JSON.stringify(report.counts)} in ${report.durationMs} ms`);
      expectExact(report, summary);
    });

    it("hostile input: mis-partitioned, oversized and out-of-range records are dead-lettered, results exact", async () => {
      const { records, summary, hostile } = hostileDataset(405);
      const report = await correctnessScenario(launcher, {
        records,
        topicConfig: hostile.topicConfig,
        timeoutMs,
      });
      log(
        `${engine} hostile: ${JSON.stringify(report.counts)} ${JSON.stringify({ ...report.deadLetters, reasons: undefined })}`,
      );
      expect(hostile.nullKeyed).toBeGreaterThan(0);
      expectExact(report, summary, hostile);
    });

    it("crash: SIGKILLed 5 times while working, restarted each time; no loss, no double count", async () => {
      const { records, summary } = generatedDataset(402);
      const report = await crashScenario(launcher, {
        records,
        kills: 5,
        // A killed member leaves the group after 6 s (the broker's minimum) instead of 30.
        flags: ["--session-timeout-ms", "6000"],
        timeoutMs,
        log,
      });
      log(
        `${engine} crash: ${report.kills} kills, ${JSON.stringify(report.counts)} in ${report.durationMs} ms`,
      );
      expect(report.kills).toBeGreaterThanOrEqual(5);
      expectExact(report, summary);
    }, 600_000);

    it("commit kill: SIGKILLed inside commits, after each write phase; restarted, results exact", async () => {
      const { records, summary } = generatedDataset(404);
      const report = await commitKillScenario(launcher, {
        records,
        // Small batches and a short interval: many commits, each paused by the test hook.
        flags: ["--batch-size", "200", "--commit-interval-ms", "100"],
        timeoutMs,
        log,
      });
      log(
        `${engine} commit kill: ${report.kills} kills, ${JSON.stringify(report.counts)} in ${report.durationMs} ms`,
      );
      expect(report.kills).toBe(3);
      expectExact(report, summary);
    }, 600_000);

    it("rebalance: a second instance joins late, the first leaves mid-run; results still exact", async () => {
      const { records, summary } = generatedDataset(403);
      const report = await rebalanceScenario(launcher, { records, timeoutMs, log });
      log(`${engine} rebalance: exits ${JSON.stringify(report.exitCodes)} in ${report.durationMs} ms`);
      expect(report.exitCodes).toEqual([0, 0]);
      expectExact(report, summary);
    });
  });
}
