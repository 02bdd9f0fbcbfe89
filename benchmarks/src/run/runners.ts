import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildCommand } from "./child.js";

const require = createRequire(import.meta.url);
const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const KSTREAMS_DIR = join(BENCH_DIR, "kafka-streams");
export const KSTREAMS_JAR = join(KSTREAMS_DIR, "target", "gametel-kafka-streams.jar");

export type EngineName = "kafkajs" | "rdkafka" | "kstreams";
export type CeilingName = "kafkajs-ceiling" | "rdkafka-ceiling";
export type RunnerName = EngineName | CeilingName;

/** What one run of a runner gets: its own group, database and output topics. */
export interface RunContext {
  readonly brokers: readonly string[];
  readonly mongoUri: string;
  readonly db: string;
  readonly group: string;
  readonly input: string;
  readonly output: string;
  readonly dlq: string;
  readonly partitions: number;
  readonly batchSize: number;
  readonly maxWaitMs: number;
  /** The processors' commit interval (ceilings and Kafka Streams ignore it). */
  readonly commitIntervalMs?: number;
  readonly cacheSize?: number;
  readonly exitWhenCaughtUp: boolean;
  /** Kafka Streams state directory of this run. */
  readonly stateDir: string;
  /** Write a V8 CPU profile of the processor into this directory. */
  readonly cpuProfileDir?: string;
  /** Run the processors from their TypeScript sources (tsx) instead of their built dist (development only). */
  readonly fromSource?: boolean;
  /** The processors' ops server port (metrics scraped by the bench); none when absent. */
  readonly metricsPort?: number;
}

export interface Runner {
  readonly name: RunnerName;
  /** engine = a gametel processor (results in MongoDB); ceiling = a no-op consumer; reference = Kafka Streams. */
  readonly kind: "engine" | "ceiling" | "reference";
  readonly client: "kafkajs" | "node-rdkafka" | "kafka-streams";
  /** For an engine, the name of its client ceiling. */
  readonly ceiling?: CeilingName;
  command(ctx: RunContext): ChildCommand;
}

const appDir = (pkg: string) => dirname(require.resolve(`${pkg}/package.json`));
const appEntry = (pkg: string, fromSource: boolean) =>
  fromSource
    ? ["--import", "tsx", "--conditions=source", join(appDir(pkg), "src", "main.ts")]
    : [join(appDir(pkg), "dist", "main.js")];

function processor(name: "kafkajs" | "rdkafka", pkg: string): Runner {
  return {
    name,
    kind: "engine",
    client: name === "kafkajs" ? "kafkajs" : "node-rdkafka",
    ceiling: name === "kafkajs" ? "kafkajs-ceiling" : "rdkafka-ceiling",
    command: (ctx) => ({
      command: process.execPath,
      args: [
        ...(ctx.cpuProfileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", ctx.cpuProfileDir]),
        ...appEntry(pkg, ctx.fromSource === true),
        "--brokers",
        ctx.brokers.join(","),
        "--mongo-uri",
        ctx.mongoUri,
        "--mongo-db",
        ctx.db,
        "--group",
        ctx.group,
        "--input-topic",
        ctx.input,
        "--dlq-topic",
        ctx.dlq,
        "--output-topic",
        ctx.output,
        "--partitions",
        String(ctx.partitions),
        "--batch-size",
        String(ctx.batchSize),
        "--max-wait-ms",
        String(ctx.maxWaitMs),
        ...(ctx.commitIntervalMs === undefined ? [] : ["--commit-interval-ms", String(ctx.commitIntervalMs)]),
        ...(ctx.cacheSize === undefined ? [] : ["--cache-size", String(ctx.cacheSize)]),
        "--metrics-port",
        String(ctx.metricsPort ?? 0),
        "--log-level",
        "warn",
        ...(ctx.exitWhenCaughtUp ? ["--exit-when-caught-up"] : []),
      ],
      cwd: appDir(pkg),
      env: { KAFKAJS_NO_PARTITIONER_WARNING: "1" },
    }),
  };
}

function ceiling(name: CeilingName, script: string, client: Runner["client"]): Runner {
  return {
    name,
    kind: "ceiling",
    client,
    command: (ctx) => ({
      command: process.execPath,
      args: [
        "--import",
        "tsx",
        join(BENCH_DIR, "src", "ceiling", script),
        "--brokers",
        ctx.brokers.join(","),
        "--input-topic",
        ctx.input,
        "--group",
        ctx.group,
        "--batch-size",
        String(ctx.batchSize),
        "--max-wait-ms",
        String(ctx.maxWaitMs),
      ],
      cwd: BENCH_DIR,
      env: { KAFKAJS_NO_PARTITIONER_WARNING: "1" },
    }),
  };
}

export const kstreamsRunner: Runner = {
  name: "kstreams",
  kind: "reference",
  client: "kafka-streams",
  command: (ctx) => ({
    command: "java",
    args: [
      "-jar",
      KSTREAMS_JAR,
      "--brokers",
      ctx.brokers.join(","),
      "--input-topic",
      ctx.input,
      "--output-topic",
      ctx.output,
      "--application-id",
      ctx.group,
      "--state-dir",
      ctx.stateDir,
      "--partitions",
      String(ctx.partitions),
      "--threads",
      "2",
      "--guarantee",
      "exactly_once_v2",
      ...(ctx.exitWhenCaughtUp ? ["--exit-when-caught-up"] : []),
    ],
  }),
};

export const RUNNERS: Readonly<Record<RunnerName, Runner>> = {
  kafkajs: processor("kafkajs", "@gametel/processor-kafkajs"),
  rdkafka: processor("rdkafka", "@gametel/processor-rdkafka"),
  kstreams: kstreamsRunner,
  "kafkajs-ceiling": ceiling("kafkajs-ceiling", "kafkajsNoop.ts", "kafkajs"),
  "rdkafka-ceiling": ceiling("rdkafka-ceiling", "rdkafkaNoop.ts", "node-rdkafka"),
};
