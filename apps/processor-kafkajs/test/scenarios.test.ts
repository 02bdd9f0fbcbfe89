import {
  correctnessScenario,
  crashScenario,
  expectExact,
  generatedDataset,
  hostileDataset,
  rebalanceScenario,
} from "@gametel/runtime/testing";
import { describe, expect, it } from "vitest";
import { kafkajs } from "./support.js";

// End to end against the local broker and MongoDB server: the app's main as child processes, MongoDB compared
// with an independent recomputation. Each scenario uses fresh topics, group and database and removes them.
const TIMEOUT_MS = 240_000;
const log = (line: string) => console.log(line);

describe("kafkajs end to end", () => {
  it("correctness: results equal the recomputation, every record accounted for", async () => {
    const { records, summary } = generatedDataset(401);
    const report = await correctnessScenario(kafkajs, { records, timeoutMs: TIMEOUT_MS });
    log(`kafkajs correctness: ${JSON.stringify(report.counts)} in ${report.durationMs} ms`);
    expectExact(report, summary);
  });

  it("hostile input: mis-partitioned, oversized and out-of-range records are dead-lettered, results exact", async () => {
    const { records, summary, hostile } = hostileDataset(405);
    const report = await correctnessScenario(kafkajs, {
      records,
      topicConfig: hostile.topicConfig,
      timeoutMs: TIMEOUT_MS,
    });
    log(
      `kafkajs hostile: ${JSON.stringify(report.counts)} ${JSON.stringify({ ...report.deadLetters, reasons: undefined })}`,
    );
    expect(hostile.nullKeyed).toBeGreaterThan(0);
    expectExact(report, summary, hostile);
  });

  it("crash: SIGKILLed 5 times while working, restarted each time; no loss, no double count", async () => {
    const { records, summary } = generatedDataset(402);
    const report = await crashScenario(kafkajs, {
      records,
      kills: 5,
      // A killed member leaves the group after 6 s (the broker's minimum) instead of 30.
      flags: ["--session-timeout-ms", "6000"],
      timeoutMs: TIMEOUT_MS,
      log,
    });
    log(`kafkajs crash: ${report.kills} kills, ${JSON.stringify(report.counts)} in ${report.durationMs} ms`);
    expect(report.kills).toBeGreaterThanOrEqual(5);
    expectExact(report, summary);
  }, 600_000);

  it("rebalance: a second instance joins late, the first leaves mid-run; results still exact", async () => {
    const { records, summary } = generatedDataset(403);
    const report = await rebalanceScenario(kafkajs, { records, timeoutMs: TIMEOUT_MS, log });
    log(`kafkajs rebalance: exits ${JSON.stringify(report.exitCodes)} in ${report.durationMs} ms`);
    expect(report.exitCodes).toEqual([0, 0]);
    expectExact(report, summary);
  });
});
