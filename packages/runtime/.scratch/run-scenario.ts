import { createGenerator } from "@gametel/generator";
import { correctnessScenario, crashScenario, enginesAgreeScenario, rebalanceScenario } from "../src/testing/index.js";

const which = process.argv[2] ?? "correct";
const n = Number(process.argv[3] ?? 20000);
const records = [...createGenerator({ seed: 3, players: Number(process.env.PLAYERS ?? 16), matches: 2, maxRecords: n, duplicates: 0.02, outOfOrder: 0.05, late: 0.01, malformed: 0.01 })].map((r) => ({ key: r.key, value: r.json }));
const launcher = {
  name: "kafkajs",
  command: process.execPath,
  args: ["--import", "tsx", "--conditions=source", "main-kafkajs.ts"],
  cwd: new URL(".", import.meta.url).pathname,
};
const rd = { ...launcher, name: "rdkafka", args: ["--import", "tsx", "--conditions=source", "main-rdkafka.ts"] };
const t0 = Date.now();
if (which === "agree") {
  const r = await enginesAgreeScenario([launcher, rd], { records });
  console.log(JSON.stringify({ engines: r.engines, diffs: r.diffs.slice(0, 3), players: r.players, reports: r.reports.map((x) => ({ diffs: x.diffs.slice(0, 3), counts: x.counts, durationMs: x.durationMs })) }, null, 1));
  console.log("took", Date.now() - t0);
  process.exit(0);
}
const chosen = process.argv[4] === "rdkafka" ? rd : launcher;
const log = (l: string) => console.log(l);
const report =
  which === "crash" ? await crashScenario(chosen, { records, log, flags: ["--batch-size", "500"] })
  : which === "rebalance" ? await rebalanceScenario(chosen, { records, log, flags: ["--batch-size", "500"] })
  : await correctnessScenario(chosen, { records, log });
console.log(JSON.stringify({ ...report, diffs: report.diffs.slice(0, 5), ndiffs: report.diffs.length }, null, 1));
console.log("took", Date.now() - t0);
