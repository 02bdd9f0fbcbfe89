import type { Summary } from "../internal/stats.js";
import type { RunnerName } from "../run/runners.js";
import type { BenchResults } from "./Results.js";

const LABELS: Readonly<Record<RunnerName, string>> = {
  kafkajs: "gametel kafkajs engine",
  rdkafka: "gametel node-rdkafka engine",
  kstreams: "Kafka Streams reference",
  "kafkajs-ceiling": "kafkajs no-op consumer (ceiling)",
  "rdkafka-ceiling": "node-rdkafka no-op consumer (ceiling)",
};
export const runnerLabel = (name: RunnerName): string => LABELS[name];

const ORDER: readonly RunnerName[] = ["rdkafka", "kafkajs", "kstreams", "rdkafka-ceiling", "kafkajs-ceiling"];

export const fmt = (x: number, digits = 0): string =>
  x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** "12,345 (11,000–13,000)"; just the median for a single run; "–" when missing. */
export function cell(s: Summary | null | undefined, digits = 0): string {
  if (s == null) return "–";
  if (s.n === 1 || s.min === s.max) return fmt(s.median, digits);
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

const ratioCell = (r: number | null | undefined) => (r == null ? "–" : `${r.toFixed(2)}×`);

/** What each side persists, so the figures are read as like for like (issue 15). */
export const PERSISTENCE_NOTE =
  "Same insights on both sides: dedup by event id (10 min horizon), per-key lateness, all 14 PlayerStats fields " +
  "all time and per 5-minute window (grace 60 s), verified field by field. What each side persists: the gametel " +
  "engines write results and key states to MongoDB (fenced bulk writes; also match, server, scoreboard and weapon " +
  "insights); Kafka Streams keeps its stores in RocksDB plus changelog topics (dedup ids, stream time, window " +
  "states, all-time states) and writes all-time PlayerStats to a compacted topic, under exactly_once_v2.";

/** The results as markdown: throughput table, ratios, targets, latency, core, machine. */
export function toMarkdown(r: BenchResults): string {
  const out: string[] = [];
  out.push(`# gametel benchmark results (${r.profile})`, "");
  out.push(`Generated ${r.generatedAt}.`, "");
  if (r.dataset !== null) {
    const d = r.dataset;
    out.push(
      `Data: ${fmt(d.events)} generated events (seed ${d.seed}, ${d.players} players, ${d.matches} concurrent matches, no injected faults), ` +
        `${fmt(d.bytes / 1e6, 1)} MB (${fmt(d.avgBytes)} bytes per event), one topic with ${d.partitions} partitions, read by every runner.`,
      "",
    );
  }
  const setting = (name: string) => (typeof r.options[name] === "number" ? fmt(r.options[name]) : null);
  if (setting("commitIntervalMs") !== null)
    out.push(
      `Processor settings: --batch-size ${setting("batchSize")}, --max-wait-ms ${setting("maxWaitMs")}, ` +
        `--commit-interval-ms ${setting("commitIntervalMs")}` +
        `${setting("cacheSize") === null ? "" : `, --cache-size ${setting("cacheSize")}`} (results become visible in MongoDB at each commit; ` +
        "the latency figures include that interval).",
      "",
    );
  for (const [scenario, error] of Object.entries(r.scenarioErrors ?? {}))
    out.push(`**The ${scenario} scenario failed:** ${error}. Its figures are absent.`, "");
  out.push(PERSISTENCE_NOTE, "");
  if (r.throughput !== null) {
    const reps = Math.max(0, ...r.throughput.runs.map((x) => x.rep + 1));
    out.push(`## Throughput end to end (median (min–max) of ${reps} repetition${reps === 1 ? "" : "s"})`, "");
    out.push(
      "| runner | events/s | MB/s | events/s incl. start-up | CPU s per 1M events | peak RSS MB | wall s | broker / MongoDB CPU s | runs ok | results verified |",
    );
    out.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (const name of ORDER) {
      const s = r.throughput.summary[name];
      if (s === undefined) continue;
      const verified = s.verifiedAll === null ? "n/a (no-op)" : s.verifiedAll ? "yes, all runs" : "**NO**";
      out.push(
        `| ${runnerLabel(name)} | ${cell(s.eventsPerSec)} | ${cell(s.mbPerSec, 1)} | ${cell(s.eventsPerSecInclStartup)} | ${cell(s.cpuSecondsPerMillion, 1)} | ${cell(s.peakRssMb)} | ${cell(s.wallSeconds, 1)} | ${s.brokerCpuSeconds === null ? "–" : fmt(s.brokerCpuSeconds.median, 1)} / ${s.mongoCpuSeconds === null ? "–" : fmt(s.mongoCpuSeconds.median, 1)} | ${s.ok}/${s.runs} | ${verified} |`,
      );
    }
    out.push("");
    const processors = ORDER.filter((name) => r.throughput?.summary[name]?.storeWritesPerEvent != null);
    if (processors.length > 0) {
      out.push(
        "What carries over to a real MongoDB (the processors' own metrics: bulk writes, documents and BSON bytes they " +
          "sent, per input event over the whole run; CPU per event once records flow, start-up excluded):",
        "",
        "| runner | MongoDB bulk writes per event | documents written per event | bytes written per event | processor CPU µs per event | CPU µs per event incl. start-up | MongoDB stand-in CPU s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      );
      for (const name of [
        ...processors,
        ...ORDER.filter((n) => n === "kstreams" && r.throughput?.summary[n]),
      ]) {
        const s = r.throughput.summary[name]!;
        out.push(
          `| ${runnerLabel(name)} | ${cell(s.storeWritesPerEvent, 4)} | ${cell(s.documentsPerEvent, 3)} | ${cell(s.bytesPerEvent)} | ${cell(s.cpuMicrosPerEvent, 1)} | ${cell(s.cpuSecondsPerMillion, 1)} | ${s.mongoCpuSeconds == null ? "–" : cell(s.mongoCpuSeconds, 1)} |`,
        );
      }
      out.push("");
      const summary = r.throughput.summary;
      const split = processors.filter((name) => summary[name]?.bytesPerEventByCollection != null);
      if (split.length > 0) {
        const collections = [
          ...new Set(split.flatMap((n) => Object.keys(summary[n]!.bytesPerEventByCollection!))),
        ].sort();
        out.push(
          "Where the bytes go (bytes written per event by collection; `keys` and `dedup` are the key states and " +
            "dedup slots, `*_parts` and `*_merge` the shared documents):",
          "",
          `| runner | ${collections.join(" | ")} |`,
          `| --- |${collections.map(() => " ---: |").join("")}`,
        );
        for (const name of split) {
          const by = summary[name]!.bytesPerEventByCollection!;
          out.push(`| ${runnerLabel(name)} | ${collections.map((c) => fmt(by[c] ?? 0, 1)).join(" | ")} |`);
        }
        out.push("");
      }
    }
    const failed = r.throughput.runs.filter((x) => !x.ok);
    if (failed.length > 0) {
      out.push("Failed runs (not in the figures):", "");
      for (const f of failed)
        out.push(
          `- ${f.runner} ${f.rep < 0 ? "warm-up" : `rep ${f.rep + 1}`}: ${f.error ?? f.diffs[0] ?? "no rate measured"}`,
        );
      out.push("");
    }
    out.push("| ratio (medians of events/s) | value |", "| --- | ---: |");
    for (const [name, value] of Object.entries(r.ratios)) out.push(`| ${name} | ${ratioCell(value)} |`);
    out.push("");
  }
  if (r.targets.length > 0) {
    const withheld = r.verdictsWithheld ?? null;
    out.push("## Targets", "");
    if (withheld !== null) out.push(`**Verdicts withheld:** ${withheld}.`, "");
    out.push("| target | measured | met |", "| --- | ---: | --- |");
    for (const t of r.targets) {
      const measured =
        t.measured === null
          ? "–"
          : t.unit === "number"
            ? fmt(t.measured, t.measured < 1 ? 4 : t.measured < 10 ? 2 : 0)
            : t.goal >= 1000
              ? fmt(t.measured)
              : `${t.measured.toFixed(2)}×`;
      const met =
        t.measured === null ? "not measured" : withheld !== null ? "withheld" : t.met ? "yes" : "**no**";
      out.push(`| ${t.name} | ${measured} | ${met} |`);
    }
    out.push("");
  }
  if (r.latency !== null && r.latency.runs.length > 0) {
    out.push("## Latency (produce → visible; ms)", "");
    out.push("| runner | rate /s | achieved /s | p50 | p95 | p99 | max | sustained | verified |");
    out.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    for (const l of [...r.latency.runs].sort((a, b) => a.rate - b.rate || a.runner.localeCompare(b.runner))) {
      const n = (x: number | null) => (x === null ? "–" : fmt(x));
      out.push(
        `| ${runnerLabel(l.runner)} | ${fmt(l.rate)} | ${fmt(l.achievedRate)} | ${n(l.p50)} | ${n(l.p95)} | ${n(l.p99)} | ${n(l.max)} | ${l.sustained ? "yes" : "**no**"} | ${l.verified === null ? "–" : l.verified ? "yes" : "**NO**"} |`,
      );
    }
    out.push("", "Highest tested rate sustained without growing lag:", "");
    for (const [name, rate] of Object.entries(r.latency.highestSustained))
      out.push(
        `- ${runnerLabel(name as RunnerName)}: ${rate === null ? "none of the tested rates" : `${fmt(rate)} events/s`}`,
      );
    out.push("");
  }
  if (r.collector != null) {
    const c = r.collector;
    out.push("## Collector (HTTP ingestion)", "");
    out.push(
      `${fmt(c.events)} generated events posted as signed NDJSON in batches of ${c.batch} by ${c.concurrency} concurrent clients ` +
        `(in the bench process) to the collector (its own process); the raw producer is kafkajs with the collector's settings ` +
        `(idempotent, acks=all, one request in flight) sending the same events in batches of 1,000. Per core = events / CPU seconds of the process.`,
      "",
    );
    out.push("| path | events/s | CPU s | events/s per core |", "| --- | ---: | ---: | ---: |");
    out.push(
      `| collector (HTTP → Kafka) | ${fmt(c.collector.eventsPerSec)} | ${fmt(c.collector.cpuSeconds, 1)} | ${fmt(c.collector.perCore)} |`,
    );
    out.push(
      `| raw kafkajs producer (ceiling) | ${fmt(c.ceiling.eventsPerSec)} | ${fmt(c.ceiling.cpuSeconds, 1)} | ${fmt(c.ceiling.perCore)} |`,
    );
    out.push("");
    out.push(
      `Collector / ceiling, per core: ${ratioCell(c.ratio)}. Every event of the run in Kafka: ${c.allInKafka ? "yes" : "**NO**"}.`,
      "",
    );
    const l = c.latency;
    out.push(
      `Request latency at ${fmt(l.rate)} events/s (${fmt(l.rate / c.batch)} requests/s of ${c.batch}) for ${l.seconds} s, open loop: ` +
        `p50 ${fmt(l.p50, 1)} ms, p95 ${fmt(l.p95, 1)} ms, **p99 ${fmt(l.p99, 1)} ms**, max ${fmt(l.max, 1)} ms; ${fmt(l.requests)} requests, ${l.failed} not 200.`,
      "",
    );
  }
  if (r.core !== null) {
    const p = r.core.pipeline;
    out.push("## Core (events/s per core, CPU time)", "");
    out.push("| measurement | events/s per core |", "| --- | ---: |");
    out.push(`| decode (bytes → validated event), generated events | ${fmt(p.decodePerCore)} |`);
    out.push(`| PlayerStats reduce per player key | ${fmt(p.reducePerCore)} |`);
    out.push(`| **decode + reduce** | **${fmt(p.decodeReducePerCore)}** |`);
    for (const l of r.core.coreBench)
      out.push(`| core bench: ${l.section} / ${l.name.replaceAll("|", "\\|")} | ${fmt(l.perCore)} |`);
    out.push("");
  }
  const m = r.machine;
  out.push("## Machine", "");
  out.push(
    `- CPU: ${m.cpuModel}, ${m.cores} cores; memory ${m.memoryGb} GB; ${m.os}; load average (1/5/15 min) at start ${m.loadAverageAtStart.join(" / ")}${m.loadAverageAtEnd === undefined ? "" : `, at end ${m.loadAverageAtEnd.join(" / ")}`}`,
  );
  for (const [name, version] of Object.entries(m.versions)) out.push(`- ${name}: ${version}`);
  out.push("");
  return out.join("\n");
}
