import { createGenerator, type GeneratorSummary } from "@gametel/generator";
import { withHostileInput, type HostileInput } from "./hostileInput.js";
import type { ScenarioRecord } from "./kafka.js";

/** Records for a scenario, and what the generator says it wrote. */
export interface GeneratedDataset {
  readonly records: readonly ScenarioRecord[];
  /** The generator's own count of what it wrote: an oracle independent of the processor. */
  readonly summary: GeneratorSummary;
}

/**
 * A generated dataset with duplicates, out-of-order, late and malformed records. Few players in two matches, so
 * ~20k records span several 5-minute windows of game time and some events arrive after their window closed.
 */
export function generatedDataset(seed: number, maxRecords = 20_000): GeneratedDataset {
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
): GeneratedDataset & { readonly hostile: HostileInput } {
  const { records, summary } = generatedDataset(seed);
  const hostile = withHostileInput(records, { partitions: options.partitions ?? 6, ...options });
  return { records: hostile.records, summary, hostile };
}
