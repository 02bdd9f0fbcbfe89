import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectExact } from "./expectExact.js";
import {
  brokerRestartScenario,
  mongoFaultsScenario,
  scaleScenario,
  zombieScenario,
  type FaultStack,
} from "./faults.js";
import { generatedDataset } from "./generatedDataset.js";
import type { ProcessorLauncher } from "./launcher.js";

/** A private stack the suite starts once and closes at the end (`@gametel/devstack/control`'s `startPrivateStack`). */
export type StartFaultStack = () => Promise<FaultStack & { close(): Promise<void> }>;

/** Records per scenario: small, so the suite for both engines stays within a few minutes on 2 cores. */
const RECORDS = 6_000;
/** Few thousand records span one window of game time: no late events to require. */
const SMALL = { lateExercised: false } as const;
/** Small batches, so the input takes some seconds and the faults land mid-run. */
const FLAGS = ["--batch-size", "25"];

/**
 * Registers one processor app's fault scenarios (issue 16) against a private stack: broker restart (and a short
 * patience spent), MongoDB hung then restarted, a zombie instance, scale-out and scale-in. Each ends with MongoDB
 * equal to the independent recomputation (`expectExact`).
 */
export function processorFaultSuite(
  launcher: ProcessorLauncher,
  options: { readonly startStack: StartFaultStack; readonly log: (line: string) => void },
): void {
  const engine = launcher.name;
  const { log } = options;
  let stack: (FaultStack & { close(): Promise<void> }) | undefined;
  const theStack = () => {
    if (stack === undefined) throw new Error("the private stack did not start (see beforeAll)");
    return stack;
  };

  describe(`${engine} under faults`, () => {
    beforeAll(async () => {
      stack = await options.startStack();
    }, 180_000);
    afterAll(async () => {
      await stack?.close();
    }, 120_000);

    it("broker restart mid-run: rides it out within the patience; a short patience exits 1 with one line and a restart finishes exactly", async () => {
      const { records, summary } = generatedDataset(1601, RECORDS);
      const report = await brokerRestartScenario(launcher, { stack: theStack(), records, flags: FLAGS, log });
      log(
        `${engine} broker restart: ${JSON.stringify(report.notes)} exits ${JSON.stringify(report.exitCodes)} in ${report.durationMs} ms`,
      );
      expect(report.notes).toMatchObject({ aRodeOut: true, pExit: 1 });
      expect(report.notes["pExitLine"]).toMatch(
        /Kafka unreachable for \d+ s, the whole --broker-patience-ms \(5000 ms\): giving up/,
      );
      expect(report.notes["unreachableSeconds"]).toBeGreaterThan(0);
      expect(report.notes["reconnects"]).toBeGreaterThanOrEqual(1);
      expect(report.notes["waitLines"]).toBeGreaterThanOrEqual(1);
      expect(report.exitCodes).toEqual([0]);
      expectExact(report, summary, undefined, SMALL);
      expectExact(report.second!, summary, undefined, SMALL);
    }, 420_000);

    it("MongoDB hung 30 s (SIGSTOP), then restarted: bounded retries, no loss, no double count", async () => {
      const { records, summary } = generatedDataset(1602, RECORDS);
      const report = await mongoFaultsScenario(launcher, { stack: theStack(), records, flags: FLAGS, log });
      log(
        `${engine} MongoDB faults: ${JSON.stringify(report.notes)} exits ${JSON.stringify(report.exitCodes)} in ${report.durationMs} ms`,
      );
      expect(report.exitCodes).toEqual([0]);
      expect(report.notes["retries"]).toBeGreaterThan(0);
      expectExact(report, summary, undefined, SMALL);
    }, 420_000);

    it("zombie: a paused instance wakes after its partitions moved; its late writes change nothing and it rejoins", async () => {
      const { records, summary } = generatedDataset(1603, RECORDS);
      const report = await zombieScenario(launcher, { stack: theStack(), records, flags: FLAGS, log });
      log(
        `${engine} zombie: ${JSON.stringify(report.notes)} exits ${JSON.stringify(report.exitCodes)} in ${report.durationMs} ms`,
      );
      expect(report.exitCodes).toEqual([0, 0]);
      expect(report.notes["committedAfter"]).toBe(records.length);
      expectExact(report, summary, undefined, SMALL);
    }, 420_000);

    it("scale-out and scale-in: three instances, one SIGTERMed and one added mid-run; exact", async () => {
      const { records, summary } = generatedDataset(1604, RECORDS);
      const report = await scaleScenario(launcher, { stack: theStack(), records, flags: FLAGS, log });
      log(`${engine} scale: exits ${JSON.stringify(report.exitCodes)} in ${report.durationMs} ms`);
      expect(report.exitCodes).toEqual([0, 0, 0, 0]);
      expectExact(report, summary, undefined, SMALL);
    }, 420_000);
  });
}
