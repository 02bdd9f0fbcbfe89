import { fileURLToPath } from "node:url";
import { correctnessScenario, crashScenario } from "@gametel/runtime/testing";
import type { ProcessorLauncher, ScenarioReport } from "@gametel/runtime/testing";
import { describe, expect, it } from "vitest";
import { simulateRaces } from "../src/simulate.js";
import { racingCheck } from "./racingCheck.js";

// The racing game through gametel's processors, end to end on the local broker and MongoDB server: its own events,
// its own model, both engines, results checked against a one-pass recomputation (racingCheck.ts).
const launcher = (engine: "kafkajs" | "rdkafka"): ProcessorLauncher => ({
  name: `racing-${engine}`,
  command: process.execPath,
  args: ["--import", "tsx", "--conditions=source", `src/processor-${engine}.ts`],
  cwd: fileURLToPath(new URL("..", import.meta.url)),
});

const records = (seed: number) =>
  simulateRaces({ seed, races: 30, players: 12, duplicates: 0.03, late: 0.01, malformed: 0.01 });

function expectExact(report: ScenarioReport): void {
  expect(report.diffs).toEqual([]);
  const { counts, expected } = report;
  expect(report.compared.players).toBe(12);
  expect(report.compared.matches).toBe(30);
  expect({ valid: counts.valid, duplicates: counts.duplicates, late: counts.late }).toEqual({
    valid: expected.valid,
    duplicates: expected.duplicates,
    late: expected.late,
  });
  expect(counts.deadLettered).toBe(expected.invalid);
  // The dataset exercises every path: duplicates, late events and dead letters.
  expect(expected.duplicates).toBeGreaterThan(0);
  expect(expected.late).toBeGreaterThan(0);
  expect(expected.invalid).toBeGreaterThan(0);
}

describe.each(["kafkajs", "rdkafka"] as const)("racing on the %s engine", (engine) => {
  it("writes racing_lap_stats and racing_race_stats equal to the recomputation", async () => {
    const report = await correctnessScenario(launcher(engine), {
      records: records(11),
      check: racingCheck,
      timeoutMs: 180_000,
    });
    console.log(`racing ${engine} correctness: ${JSON.stringify(report.counts)} in ${report.durationMs} ms`);
    expectExact(report);
  });

  it("stays exact when SIGKILLed 3 times mid-run", async () => {
    const report = await crashScenario(launcher(engine), {
      records: records(12),
      kills: 3,
      check: racingCheck,
      flags: ["--session-timeout-ms", "6000", "--batch-size", "200"],
      timeoutMs: 180_000,
      log: (line) => console.log(line),
    });
    console.log(`racing ${engine} crash: ${report.kills} kills, ${JSON.stringify(report.counts)}`);
    expect(report.kills).toBe(3);
    expectExact(report);
  }, 600_000);
});
