import type { GeneratorSummary } from "@gametel/generator";
import { expect } from "vitest";
import type { HostileInput } from "./hostileInput.js";
import type { ScenarioReport } from "./scenarios.js";

/**
 * MongoDB equals the recomputation and every record is accounted for, as the generator counted them; with
 * `hostile`, its records are all dead-lettered with their cause, and the oversized one as a reference. With
 * `{ lateExercised: false }` (the fault suite's small datasets span one window) late events are not required.
 */
export function expectExact(
  report: ScenarioReport,
  summary: GeneratorSummary,
  hostile?: HostileInput,
  options: { readonly lateExercised?: boolean } = {},
): void {
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
  if (options.lateExercised ?? true) {
    expect(counts.late).toBeGreaterThan(0);
    expect(report.compared.windows).toBeGreaterThan(report.compared.players);
  }
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
