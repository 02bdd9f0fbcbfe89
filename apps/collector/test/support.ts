// Helpers for the collector's integration tests: the collector as a real child process (node --import tsx
// src/main.ts, so a SIGKILL hits the collector itself), keys, a free port, generated events split over clients, and
// a processor run whose MongoDB results are compared with the batch recomputation.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kafkaBrokers, mongoUri } from "@gametel/devstack";
export { freePort } from "@gametel/devstack";
import { createGenerator } from "@gametel/generator";
import { compareResults, readResults, recomputeExpected } from "@gametel/runtime/testing";
import { runToCaughtUp, type ProcessorLauncher, type ScenarioTarget } from "@gametel/runtime/testing";
import { MongoClient } from "mongodb";

export const packageDir = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

export const GAME = "arena";
export const SERVER_KEY = {
  game_id: GAME,
  key_id: "srv-test",
  secret: "s3cret-s3cret-s3cret-s3cret-s3cret-0001",
};

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface CollectorProcess {
  readonly child: ChildProcess;
  output(): string;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the collector on `port` and waits until /readyz answers 200 (Kafka connected, topics there). */
export async function startCollector(
  port: number,
  topics: { events: string; dlq: string },
  keys: readonly object[] = [SERVER_KEY],
  extra: readonly string[] = [],
): Promise<CollectorProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/main.ts",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--brokers",
      kafkaBrokers().join(","),
      "--events-topic",
      topics.events,
      "--dlq-topic",
      topics.dlq,
      "--log-level",
      "warn",
      ...extra,
    ],
    {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, GAMETEL_COLLECTOR_KEYS: JSON.stringify(keys) },
    },
  );
  let out = "";
  const collect = (chunk: Buffer) => {
    out += chunk.toString("utf8");
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let exited = false;
  void exit.then(() => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`collector exited before it was ready:\n${out}`);
    if (Date.now() > deadline) throw new Error(`collector not ready within 60 s:\n${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await delay(100);
  }
  return { child, output: () => out, exited: () => exit };
}

/** Valid events from the generator (no faults), as JSON objects in generation order. */
export function generatedEvents(count: number, seed: number): Record<string, unknown>[] {
  const generator = createGenerator({
    seed,
    gameId: GAME,
    players: 300,
    matches: 12,
    servers: 4,
    maxRecords: count,
  });
  const events: Record<string, unknown>[] = [];
  for (const record of generator)
    if (record.kind === "event") events.push(JSON.parse(record.json) as Record<string, unknown>);
  return events;
}

/** Splits events over `n` clients by partition key (the same key always to the same client, in order). */
export function splitByKey(
  events: readonly Record<string, unknown>[],
  n: number,
): Record<string, unknown>[][] {
  const parts = Array.from({ length: n }, () => [] as Record<string, unknown>[]);
  for (const e of events) {
    const type = e.event_type;
    const key = String(
      type === "match_start" || type === "match_end"
        ? e.match_id
        : type === "perf_sample"
          ? e.server_id
          : e.player_id,
    );
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
    parts[h % n]!.push(e);
  }
  return parts;
}

const packagePath = (name: string) => dirname(require.resolve(`${name}/package.json`));

const kafkajsProcessor: ProcessorLauncher = {
  name: "kafkajs",
  command: process.execPath,
  args: [join(packagePath("@gametel/processor-kafkajs"), "dist", "main.js")],
};

export function directMongoUri(): string {
  const uri = mongoUri();
  return uri.includes("?") ? uri : `${uri}/?directConnection=true`;
}

export const PARTITIONS = 6;

/**
 * Runs the kafkajs processor over the events topic to the end and returns the differences between its MongoDB
 * results and the batch recomputation of `sent` (empty = equal), with the recomputation's counts.
 */
export async function processAndCompare(
  base: string,
  eventsTopic: string,
  sent: readonly Record<string, unknown>[],
): Promise<{ diffs: string[]; players: number; valid: number }> {
  const target: ScenarioTarget = {
    brokers: kafkaBrokers(),
    mongoUri: directMongoUri(),
    mongoDb: base,
    group: `${base}-group`,
    inputTopic: eventsTopic,
    dlqTopic: `${base}.proc-dlq`,
    lateTopic: `${base}.late`,
    outputTopic: `${base}.out`,
    partitions: PARTITIONS,
  };
  await runToCaughtUp(kafkajsProcessor, target, 240_000);
  const expected = recomputeExpected(sent.map((e) => JSON.stringify(e)));
  const client = new MongoClient(directMongoUri());
  await client.connect();
  try {
    const actual = await readResults(client.db(base));
    return {
      diffs: compareResults(expected, actual),
      players: expected.players.size,
      valid: expected.counts.valid,
    };
  } finally {
    await client
      .db(base)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  }
}

/** Topics a processor run created next to the events topic. */
export const processorTopics = (base: string) => [`${base}.proc-dlq`, `${base}.late`, `${base}.out`];
