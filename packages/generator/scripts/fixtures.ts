// Writes the committed fixtures from the generator itself: `pnpm --filter @gametel/generator fixtures`.
// Never edit the files by hand; src/fixtures.test.ts fails when they differ from what this writes.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { GeneratorOptions, GeneratorSummary } from "../src/index.js";
import { createGenerator } from "../src/index.js";

export interface FixtureSpec {
  readonly name: string;
  readonly description: string;
  readonly options: GeneratorOptions;
}

export const FIXTURES: readonly FixtureSpec[] = [
  {
    name: "small",
    description:
      "600 records of one 2-vs-2 match with every kind of fault; late means late for 1-minute windows with 10 s grace",
    options: {
      seed: 42,
      players: 6,
      matches: 1,
      servers: 1,
      maxRecords: 600,
      duplicates: 0.03,
      outOfOrder: 0.03,
      late: 0.04,
      malformed: 0.03,
      windowMs: 60_000,
      graceMs: 10_000,
    },
  },
];

export const FIXTURES_DIR = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** The fixture's NDJSON and its summary file, exactly as committed. */
export const buildFixture = (spec: FixtureSpec): { ndjson: string; summaryJson: string } => {
  const generator = createGenerator(spec.options);
  let ndjson = "";
  for (const record of generator) ndjson += record.json + "\n";
  const summary: GeneratorSummary = generator.summary();
  const summaryJson =
    JSON.stringify({ description: spec.description, options: spec.options, summary }, null, 2) + "\n";
  return { ndjson, summaryJson };
};

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  for (const spec of FIXTURES) {
    const { ndjson, summaryJson } = buildFixture(spec);
    await writeFile(`${FIXTURES_DIR}${spec.name}.ndjson`, ndjson);
    await writeFile(`${FIXTURES_DIR}${spec.name}.summary.json`, summaryJson);
    process.stdout.write(`fixtures/${spec.name}.ndjson: ${ndjson.split("\n").length - 1} records\n`);
  }
}
