import { writeFileSync } from "node:fs";
import { toMarkdown } from "./markdown.js";
import { latencySpec, throughputSpec, toSvg } from "./plots.js";
import type { BenchResults } from "./Results.js";

/** Writes `<stem>.json`, `<stem>.md`, `<stem>-throughput.svg` and `<stem>-latency.svg`; returns the markdown. */
export async function writeReport(stem: string, results: BenchResults): Promise<string> {
  writeFileSync(`${stem}.json`, `${JSON.stringify(results, null, 2)}\n`);
  const markdown = toMarkdown(results);
  writeFileSync(`${stem}.md`, markdown);
  const tSpec = throughputSpec(results);
  if (tSpec !== null) writeFileSync(`${stem}-throughput.svg`, await toSvg(tSpec));
  const lSpec = latencySpec(results);
  if (lSpec !== null) writeFileSync(`${stem}-latency.svg`, await toSvg(lSpec));
  return markdown;
}
