/**
 * `pnpm --filter @gametel/benchmarks report [results/latest.json]`: rewrites the markdown and the plots of a
 * results file (after a change to the report's layout) without measuring again.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { writeReport } from "./report/writeReport.js";
import type { BenchResults } from "./report/Results.js";

const file = resolve(process.argv[2] ?? "results/latest.json");
const results = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
await writeReport(file.replace(/\.json$/, ""), results);
process.stderr.write(`rewrote the report of ${file}\n`);
