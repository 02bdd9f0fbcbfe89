// Helpers for the export integration tests: the generator and the kafkajs processor as child processes (as
// the other apps' end-to-end tests run them), the export CLI as a child process, and DuckDB to read files back.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { kafkaBrokers, mongoUri } from "@gametel/devstack";
import type { ProcessorLauncher, ScenarioTarget } from "@gametel/runtime/testing";
import type { Column, ColumnType } from "../src/index.js";

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
export const exportMain = new URL("../dist/main.js", import.meta.url).pathname;
const generatorMain = join(packageDir("@gametel/generator-cli"), "dist", "main.js");

export const kafkajsProcessor: ProcessorLauncher = {
  name: "kafkajs",
  command: process.execPath,
  args: [join(packageDir("@gametel/processor-kafkajs"), "dist", "main.js")],
};

export function directMongoUri(): string {
  const uri = mongoUri();
  return uri.includes("?") ? uri : `${uri}/?directConnection=true`;
}

export function target(name: string, partitions: number): ScenarioTarget {
  return {
    brokers: kafkaBrokers(),
    mongoUri: directMongoUri(),
    mongoDb: name,
    group: `${name}-group`,
    inputTopic: `${name}.events`,
    dlqTopic: `${name}.dlq`,
    lateTopic: `${name}.late`,
    outputTopic: `${name}.out`,
    partitions,
  };
}

export interface Exited {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function collect(child: ChildProcess): Promise<Exited> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/** Writes `events` generated records of one game to the topic (keyed by partitionKey, some malformed). */
export async function generate(
  topic: string,
  options: { seed: number; game: string; events: number; start: string },
) {
  const child = spawn(
    process.execPath,
    [
      generatorMain,
      ...["--seed", String(options.seed), "--game-id", options.game, "--events", String(options.events)],
      ...["--players", "12", "--matches", "2", "--servers", "2", "--start-time", options.start],
      ...["--malformed", "0.02", "--duplicates", "0.02", "--progress", "off"],
      ...["--kafka", topic, "--brokers", kafkaBrokers().join(","), "--partitions", "3"],
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const exited = await collect(child);
  if (exited.code !== 0) throw new Error(`generator exited with ${exited.code}: ${exited.stderr}`);
}

/** Starts the export CLI against the local stack. */
export function startExport(args: readonly string[]): { child: ChildProcess; exited: Promise<Exited> } {
  const child = spawn(process.execPath, [exportMain, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MONGODB_URI: directMongoUri(), KAFKA_BROKERS: kafkaBrokers().join(",") },
  });
  return { child, exited: collect(child) };
}

export const runExport = (args: readonly string[]): Promise<Exited> => startExport(args).exited;

/** Every file under `dir` (relative path -> sha256), hidden files included. */
export async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) =>
    e.isFile(),
  )) {
    const path = join(entry.parentPath, entry.name);
    out.set(
      path.slice(dir.length + 1),
      createHash("sha256")
        .update(await readFile(path))
        .digest("hex"),
    );
  }
  return out;
}

/** DuckDB's name of a declared column type, as DESCRIBE prints it. */
export function describedType(type: ColumnType): string {
  if (typeof type === "object")
    return `STRUCT(${type.struct.map((c) => `${c.name} ${describedType(c.type)}`).join(", ")})`;
  return {
    string: "VARCHAR",
    int64: "BIGINT",
    float64: "DOUBLE",
    timestamp: "TIMESTAMP WITH TIME ZONE",
    boolean: "BOOLEAN",
  }[type];
}

/** A MongoDB value as DuckDB's JS conversion of the declared column type returns it. */
export function expectedValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  if (typeof type === "object") {
    const doc = value as Record<string, unknown>;
    return Object.fromEntries(type.struct.map((c) => [c.name, expectedValue(doc[c.name], c.type)]));
  }
  if (type === "int64") return BigInt(value as number);
  return value;
}

export const expectedRow = (doc: Record<string, unknown>, columns: readonly Column[]) =>
  Object.fromEntries(columns.map((c) => [c.name, expectedValue(doc[c.name], c.type)]));

/** Reads Parquet files with DuckDB: typed rows and the column types. */
export async function readParquet(files: readonly string[]): Promise<{
  rows: Record<string, unknown>[];
  types: Record<string, string>;
}> {
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  try {
    const list = `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(", ")}]`;
    const described = (
      await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${list}, hive_partitioning = false)`)
    ).getRowObjectsJS();
    const types = Object.fromEntries(described.map((r) => [String(r.column_name), String(r.column_type)]));
    const rows = (
      await c.runAndReadAll(`SELECT * FROM read_parquet(${list}, hive_partitioning = false)`)
    ).getRowObjectsJS();
    return { rows, types };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Keys lower-cased, nested objects too (the generated DDL upper-cases identifiers, as Snowflake does). */
export function lowerKeys(value: unknown): unknown {
  if (typeof value !== "object" || value === null || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
}
