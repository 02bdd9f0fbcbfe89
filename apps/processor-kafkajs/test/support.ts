import { fileURLToPath } from "node:url";
import { createGenerator, type GeneratorSummary } from "@gametel/generator";
import { withHostileInput } from "@gametel/runtime/testing";
import type {
  HostileInput,
  ProcessorLauncher,
  ScenarioRecord,
  ScenarioReport,
} from "@gametel/runtime/testing";
import { expect } from "vitest";

/** This app's `main` from source, as the scenarios start it (one child process per processor instance). */
export const kafkajs: ProcessorLauncher = {
  name: "kafkajs",
  command: process.execPath,
  args: ["--import", "tsx", "--conditions=source", "src/main.ts"],
  cwd: fileURLToPath(new URL("..", import.meta.url)),
};

export interface Dataset {
  readonly records: readonly ScenarioRecord[];
  /** The generator's own count of what it wrote: an oracle independent of the processor. */
  readonly summary: GeneratorSummary;
}

/**
 * A generated dataset with duplicates, out-of-order, late and malformed records. Few players in two matches, so
 * ~20k records span several 5-minute windows of game time and some events arrive after their window closed.
 */
export function dataset(seed: number, maxRecords = 20_000): Dataset {
  const generator = createGenerator({
    seed,
    players: 16,
    matches: 2,
    maxRecords,
    duplicates: 0.02,
    outOfOrder: 0.05,
    late: 0.01,
    malformed: 0.01,
  });
  const records = [...generator].map((r) => ({ key: r.key, value: r.json }));
  return { records, summary: generator.summary() };
}

/** A generated dataset with hostile input mixed in (mis-partitioned, oversized, absurd event times). */
export function hostileDataset(
  seed: number,
  options: { readonly partitions?: number; readonly oversizedBytes?: number } = {},
): Dataset & { readonly hostile: HostileInput } {
  const { records, summary } = dataset(seed);
  const hostile = withHostileInput(records, { partitions: options.partitions ?? 6, ...options });
  return { records: hostile.records, summary, hostile };
}

/**
 * MongoDB equals the recomputation and every record is accounted for, as the generator counted them; with
 * `hostile`, its records are all dead-lettered with their cause, and the oversized one as a reference.
 */
export function expectExact(report: ScenarioReport, summary: GeneratorSummary, hostile?: HostileInput): void {
  expect(report.diffs).toEqual([]);
  const { counts } = report;
  const refused = hostile?.refused ?? 0;
  expect(counts.produced).toBe(summary.total_records + refused);
  expect(counts.valid + counts.duplicates + counts.deadLettered).toBe(counts.produced);
  expect({
    valid: counts.valid,
    duplicates: counts.duplicates,
    deadLettered: counts.deadLettered,
    late: counts.late,
  }).toEqual({
    valid: summary.valid_distinct,
    duplicates: summary.duplicates,
    deadLettered: summary.malformed + refused,
    late: summary.late,
  });
  // The late path is exercised: the data spans several windows and has events beyond the grace period.
  expect(counts.late).toBeGreaterThan(0);
  expect(report.compared.windows).toBeGreaterThan(report.compared.players);
  if (hostile !== undefined) {
    expect(report.deadLetters).toMatchObject({
      misPartitioned: hostile.misPartitioned,
      eventTimeOutOfRange: hostile.eventTimeOutOfRange,
      truncated: hostile.oversized,
      escapedNul: hostile.nulInReason,
      rawControl: 0,
    });
    // Within the default --dead-letter-max-bytes (256 KiB), whatever the input's size.
    expect(report.deadLetters.largestBytes).toBeLessThanOrEqual(256 * 1024);
  }
}
