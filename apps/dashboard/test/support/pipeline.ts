import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname } from "node:path";
import { kafkaBrokers, mongoUri, uniqueName } from "@gametel/devstack";
import { createGenerator } from "@gametel/generator";
import { readCounts, recomputeExpected } from "@gametel/runtime/testing";
import { createTopic, deleteTopics, launch, produceRecords, waitForExit } from "@gametel/runtime/testing";
import type { ScenarioRecord } from "@gametel/runtime/testing";
import type { ProcessorLauncher } from "@gametel/runtime/testing";
import { MongoClient } from "mongodb";
import type { Db } from "mongodb";

/** Generated telemetry, as produced to Kafka: `{ key, json }` per record, in production order. */
export interface GeneratedRecord {
  readonly key: string;
  readonly json: string;
}

/** The real pipeline for the dashboard's tests: generator -> Kafka -> processor app (kafkajs) -> MongoDB. */
export interface TestPipeline {
  readonly db: Db;
  readonly dbName: string;
  readonly mongoUri: string;
  /** The processor's Prometheus endpoint (for the pipeline-health page). */
  readonly metricsUrl: string;
  /** Produces records to the input topic and waits until the processor has written their effect to MongoDB. */
  feed(records: readonly GeneratedRecord[]): Promise<void>;
  /** Produces records as they are (key, explicit partition), without waiting: for input the processor refuses. */
  produceRaw(records: readonly ScenarioRecord[]): Promise<void>;
  /** The input topic's partition count. */
  readonly partitions: number;
  /** The processor's dead-letter topic. */
  readonly dlqTopic: string;
  /** Stops the processor, drops the database and topics. */
  close(): Promise<void>;
}

/**
 * Deterministic generated data: a few players and matches spread over several one-minute windows, starting at
 * `startTime` (epoch ms; the generator's default, 2026-01-01, when absent).
 */
export function generatedRecords(seed: number, count: number, startTime?: number): GeneratedRecord[] {
  const generator = createGenerator({
    ...(startTime === undefined ? {} : { startTime }),
    seed,
    players: 12,
    matches: 2,
    servers: 2,
    duplicates: 0.02,
    outOfOrder: 0.02,
    malformed: 0.005,
    maxRecords: count,
  });
  return [...generator].map((r) => ({ key: r.key, json: r.json }));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The kafkajs processor app's `main`, run from source as `pnpm start` does. */
const processorApp: ProcessorLauncher = {
  name: "kafkajs",
  command: process.execPath,
  args: ["--import", "tsx", "--conditions=source", "src/main.ts"],
  cwd: dirname(createRequire(import.meta.url).resolve("@gametel/processor-kafkajs/package.json")),
};

/**
 * Starts the processor app (a child process, with its metrics endpoint) on fresh topics and a fresh database.
 * Windows are one minute long so a short run spans several of them.
 */
export async function startPipeline(prefix: string): Promise<TestPipeline> {
  const brokers = kafkaBrokers();
  const uri = mongoUri();
  const dbName = uniqueName(`${prefix}-db`);
  const topics = {
    input: uniqueName(`${prefix}-in`),
    dlq: uniqueName(`${prefix}-dlq`),
    output: uniqueName(`${prefix}-out`),
  };
  const partitions = 3;
  await createTopic(brokers, topics.input, partitions);
  const metricsPort = await freePort();
  const processor = launch(processorApp, [
    "--brokers",
    brokers.join(","),
    "--mongo-uri",
    uri,
    "--mongo-db",
    dbName,
    "--group",
    uniqueName(`${prefix}-group`),
    "--input-topic",
    topics.input,
    "--dlq-topic",
    topics.dlq,
    "--output-topic",
    topics.output,
    "--partitions",
    String(partitions),
    "--window-ms",
    "60000",
    "--grace-ms",
    "10000",
    "--max-wait-ms",
    "200",
    "--session-timeout-ms",
    "6000",
    "--metrics-port",
    String(metricsPort),
    "--log-level",
    "warn",
  ]);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  let exited = false;
  void processor.exited.then(() => (exited = true));
  await waitFor(
    "the processor's metrics endpoint",
    async () => {
      if (exited) throw new Error(`the processor exited:\n${processor.output.slice(-20).join("\n")}`);
      return fetch(metricsUrl).then(
        (r) => r.ok,
        () => false,
      );
    },
    60_000,
  );
  const client = await MongoClient.connect(uri);
  const db = client.db(dbName);
  const fed: GeneratedRecord[] = [];

  return {
    db,
    dbName,
    mongoUri: uri,
    metricsUrl,
    partitions,
    dlqTopic: topics.dlq,
    produceRaw: (records) => produceRecords(brokers, topics.input, records),
    async feed(records) {
      fed.push(...records);
      const expected = recomputeExpected(fed.map((r) => r.json)).counts;
      await produceRecords(
        brokers,
        topics.input,
        records.map((r) => ({ key: r.key, value: r.json })),
      );
      // key_state is written last in each batch: when its exact counters are complete, so are the results.
      await waitFor(
        `the processor to apply ${expected.valid} events`,
        async () => {
          const counts = await readCounts(db);
          return counts.valid === expected.valid && counts.duplicates === expected.duplicates;
        },
        120_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; processor output:\n${processor.output.slice(-20).join("\n")}`);
      });
    },
    async close() {
      try {
        processor.child.kill("SIGTERM");
        const { code } = await waitForExit(processor, 60_000, "processor stop");
        if (code !== 0) {
          throw new Error(`the processor exited with ${code}:\n${processor.output.slice(-20).join("\n")}`);
        }
      } finally {
        await db.dropDatabase().catch(() => undefined);
        await client.close();
        await deleteTopics(brokers, Object.values(topics)).catch(() => undefined);
      }
    },
  };
}
