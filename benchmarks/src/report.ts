/**
 * `pnpm --filter @gametel/benchmarks report [results/latest.json]`: rewrites the markdown and the plots of a
 * results file (after a change to the report's layout) without measuring again.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { writeReport } from "./report/writeReport.js";
import { verdictsWithheld, type BenchResults } from "./report/Results.js";

const file = resolve(process.argv[2] ?? "results/latest.json");
const read = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
// Files written before verdicts could be withheld: apply today's rule to their profile and size.
const withheld =
  read.verdictsWithheld !== undefined
    ? read.verdictsWithheld
    : verdictsWithheld({ profile: read.profile, events: Number(read.options.events ?? 0) });
const results: BenchResults = {
  ...read,
  verdictsWithheld: withheld,
  targets: withheld === null ? read.targets : read.targets.map((t) => ({ ...t, met: null })),
};
await writeReport(file.replace(/\.json$/, ""), results);
process.stderr.write(`rewrote the report of ${file}\n`);
