import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTopic, produceRecords, topicOffsets } from "@gametel/runtime/testing";
import { MongoClient } from "mongodb";

// Helpers of the `pnpm dev` test: ports, the devstack CLI, and a second stack on the default ports.

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const STACK_CLI = join(root, "packages", "devstack", "bin", "gametel-stack.mjs");

/** Variables that choose a stack or a port: a child gets them only as the test sets them. */
const PLACEMENT = /^(?:KAFKA_BROKERS|MONGODB_URI|GAMETEL_\w*PORT|GAMETEL_STACK_DIR|GAMETEL_METRICS_URLS)$/;

/** This process's environment without the stack and port choices, sharing the downloaded stack jars. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !PLACEMENT.test(name)) env[name] = value;
  }
  return { GAMETEL_STACK_ARTIFACTS: join(root, ".cache", "devstack", "artifacts"), ...env, ...extra };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Something listens on the port (on 127.0.0.1). */
export const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer().once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });

/** Runs the devstack CLI with that environment; its output and exit code. */
export function stackCli(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [STACK_CLI, ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * What a stack holds: its databases with their collections' counts, its topics with their offsets. The server's own
 * `local` database (the oplog) is left out: the server trims it by time, with or without writes.
 */
export async function snapshot(mongoUri: string, brokers: readonly string[]): Promise<unknown> {
  const client = await MongoClient.connect(mongoUri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const databases: Record<string, Record<string, number>> = {};
    for (const { name } of (await client.db("admin").admin().listDatabases()).databases) {
      if (name === "local") continue;
      const db = client.db(name);
      const counts: Record<string, number> = {};
      for (const { name: collection } of await db.listCollections().toArray()) {
        counts[collection] = await db.collection(collection).estimatedDocumentCount();
      }
      databases[name] = counts;
    }
    return { databases, topics: await topicOffsets(brokers) };
  } finally {
    await client.close();
  }
}

/** The services of a stack as `gametel-stack status --json` reports them. */
interface StatusRow {
  readonly service: string;
  readonly state: string;
  readonly pid?: number | null;
  readonly answers: boolean;
}

export const DEFAULT_PORTS = { kafka: 9092, controller: 9093, mongo: 27017 } as const;

/** A stack on the default ports: its endpoints, what runs it, and how to stop it if this test started it. */
export interface DefaultStack {
  /** False when the defaults were already held by a running stack (CI's), which is then used as it is. */
  readonly startedHere: boolean;
  readonly mongoUri: string;
  readonly brokers: readonly string[];
  /** service -> pid of what runs (empty for a stack this test did not start and cannot see the pid files of). */
  processes(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * Makes sure a stack runs on the default ports: starts one (own data directory, with a few documents and records
 * of its own) when the ports are free; uses the one there when they are taken (as in CI, where the suite's stack
 * holds them).
 */
export async function defaultPortsStack(stackDir: string): Promise<DefaultStack> {
  const mongoUri = `mongodb://localhost:${DEFAULT_PORTS.mongo}`;
  const brokers = [`localhost:${DEFAULT_PORTS.kafka}`];
  const taken = await Promise.all(Object.values(DEFAULT_PORTS).map(listening));
  const env = cleanEnv({ GAMETEL_STACK_DIR: stackDir });
  const processes = async () => {
    const { output } = await stackCli(["status", "--json"], env, 30_000);
    const rows = JSON.parse(output) as StatusRow[];
    return Object.fromEntries(
      rows.filter((r) => r.state === "running" && r.answers && r.pid != null).map((r) => [r.service, r.pid!]),
    );
  };
  if (taken.every(Boolean)) {
    return {
      startedHere: false,
      mongoUri,
      brokers,
      processes: async () => ({}),
      stop: async () => undefined,
    };
  }
  if (taken.some(Boolean)) {
    throw new Error(
      `some default ports are taken and some free (${JSON.stringify(taken)}): neither a stack there nor room for one`,
    );
  }
  const stop = async () => {
    const { code, output } = await stackCli(["down"], env);
    if (code !== 0) throw new Error(`stopping the default-ports stack failed:\n${output}`);
  };
  const { code, output } = await stackCli(["up"], env, 180_000);
  if (code !== 0) {
    await stop().catch(() => undefined);
    const format = join(stackDir, "kafka", "format.log");
    const log = existsSync(format) ? `\n${format}:\n${readFileSync(format, "utf8").slice(-3000)}` : "";
    throw new Error(`the default-ports stack did not start:\n${output}${log}`);
  }
  // Data of its own, which the pnpm dev run must not touch.
  const client = await MongoClient.connect(mongoUri);
  try {
    await client
      .db("other-stack")
      .collection("markers")
      .insertMany([1, 2, 3].map((n) => ({ _id: n as unknown as never, note: "the other stack" })));
  } finally {
    await client.close();
  }
  await createTopic(brokers, "other-stack.markers", 2);
  await produceRecords(
    brokers,
    "other-stack.markers",
    [1, 2, 3].map((n) => ({ key: String(n), value: `{"n":${n}}` })),
  );
  return { startedHere: true, mongoUri, brokers, processes, stop };
}
