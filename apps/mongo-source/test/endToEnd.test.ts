// The two ingestion paths end to end, against the real local broker and server: the same generator seed
// written MongoDB-first (generator → telemetry collection → this source → Kafka → processor) and
// Kafka-direct (generator → Kafka → processor) must give identical player_stats, and both must equal the
// batch recomputation of the generator's NDJSON.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { kafkaBrokers } from "@gametel/devstack";
import { compareResults, readResults, recomputeExpected } from "@gametel/runtime/testing";
import { runToCaughtUp, type ProcessorLauncher, type ScenarioTarget } from "@gametel/runtime/testing";
import type { Db, Document } from "mongodb";
import { afterAll, describe, expect, test } from "vitest";
import {
  createTopics,
  deleteTopics,
  directMongoUri,
  logLines,
  startConsumer,
  startSource,
  testNames,
  withMongo,
} from "./support.js";

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const generatorMain = join(packageDir("@gametel/generator-cli"), "dist", "main.js");
const kafkajsProcessor: ProcessorLauncher = {
  name: "kafkajs",
  command: process.execPath,
  args: [join(packageDir("@gametel/processor-kafkajs"), "dist", "main.js")],
};

const PARTITIONS = 6;
const WINDOWS = ["--window-ms", "10000", "--grace-ms", "2000"];
const EVENTS = 1500;
/** Same seed and options for both paths; every kind of fault the generator injects. */
const GENERATOR_FLAGS = [
  "--seed",
  "2026",
  "--events",
  String(EVENTS),
  "--players",
  "40",
  "--matches",
  "4",
  "--duplicates",
  "0.03",
  "--out-of-order",
  "0.03",
  "--late",
  "0.01",
  "--malformed",
  "0.02",
  // Short windows so that 1500 events span several of them and some records are really late.
  "--window-ms",
  "10000",
  "--grace-ms",
  "2000",
  "--progress",
  "off",
];

function runGenerator(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [generatorMain, ...GENERATOR_FLAGS, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

function processorTarget(inputTopic: string, db: string): ScenarioTarget {
  return {
    brokers: kafkaBrokers(),
    mongoUri: directMongoUri(),
    mongoDb: db,
    group: `${db}-group`,
    inputTopic,
    dlqTopic: `${db}.dlq`,
    lateTopic: `${db}.late`,
    outputTopic: `${db}.out`,
    partitions: PARTITIONS,
  };
}

/**
 * player_stats documents without the write time and without `_offset`, the input offset that fences writes:
 * the MongoDB-first topic holds no malformed records (the source dead-letters them), so offsets differ.
 */
async function playerStats(db: Db): Promise<Map<string, Document>> {
  const out = new Map<string, Document>();
  const projection = { updated_at: 0, _offset: 0 };
  for await (const doc of db.collection("player_stats").find({}, { projection }))
    out.set(String(doc._id), doc);
  return out;
}

const names = testNames("e2e");
const directTopic = `${names.db}.direct`;
const viaMongo = processorTarget(names.events, `${names.db}-via-mongo`);
const direct = processorTarget(directTopic, `${names.db}-direct`);
let workDir: string | undefined;

afterAll(async () => {
  const topics = [names.events, names.dlq, directTopic];
  for (const t of [viaMongo, direct]) topics.push(t.dlqTopic, t.lateTopic, t.outputTopic);
  await deleteTopics(topics).catch(() => undefined);
  await withMongo(async (client) => {
    for (const db of [names.db, viaMongo.mongoDb, direct.mongoDb]) await client.db(db).dropDatabase();
  }).catch(() => undefined);
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

describe("MongoDB-first and Kafka-direct ingestion", () => {
  test("the same seed through both paths gives identical player_stats, equal to the recomputation", async () => {
    workDir = await mkdtemp(join(tmpdir(), "gametel-e2e-"));
    const ndjson = join(workDir, "events.ndjson");
    const mongoSummary = join(workDir, "mongo-summary.json");

    // The reference input: the seed's records as NDJSON.
    expect(await runGenerator(["--out", ndjson])).toEqual({ code: 0, stderr: expect.any(String) });
    const records = (await readFile(ndjson, "utf8")).split("\n").filter((l) => l.length > 0);

    // MongoDB-first: the generator inserts into telemetry, the source copies what exists into Kafka.
    await createTopics([
      { topic: names.events, partitions: PARTITIONS },
      { topic: names.dlq, partitions: 1 },
    ]);
    const toMongo = await runGenerator([
      "--mongo",
      "--mongo-uri",
      directMongoUri(),
      "--mongo-db",
      names.db,
      "--summary",
      mongoSummary,
    ]);
    expect(toMongo.code, toMongo.stderr).toBe(0);
    const summary = JSON.parse(await readFile(mongoSummary, "utf8")) as Record<string, number>;
    expect(summary["malformed"]).toBeGreaterThan(0);
    expect(summary["duplicates"]).toBeGreaterThan(0);
    expect(summary["late"]).toBeGreaterThan(0);

    const consumer = await startConsumer([names.events, names.dlq]);
    try {
      const source = startSource(names, ["--copy-existing"]);
      try {
        // At least once: every document reaches the events topic or the dead-letter topic.
        await consumer.waitFor((r) => r.length >= records.length, 120_000);
      } finally {
        source.child.kill("SIGTERM");
      }
      expect((await source.exited()).code).toBe(0);
      const sourceSummary = logLines(source.stdout()).find((l) => l.msg === "summary");
      expect(sourceSummary).toMatchObject({ deadLetters: summary["malformed"] });
    } finally {
      await consumer.stop();
    }

    // Kafka-direct: the same seed produced straight to a topic with the same partition count.
    const toKafka = await runGenerator([
      "--kafka",
      directTopic,
      "--brokers",
      kafkaBrokers().join(","),
      "--partitions",
      String(PARTITIONS),
    ]);
    expect(toKafka.code, toKafka.stderr).toBe(0);

    // One processor run per path, each into its own database.
    await runToCaughtUp(kafkajsProcessor, viaMongo, 240_000, WINDOWS);
    await runToCaughtUp(kafkajsProcessor, direct, 240_000, WINDOWS);

    const expected = recomputeExpected(records, { windowSizeMs: 10_000, graceMs: 2_000 });
    expect(expected.counts.valid).toBeGreaterThan(EVENTS / 2);
    await withMongo(async (client) => {
      const [a, b] = [client.db(viaMongo.mongoDb), client.db(direct.mongoDb)];
      const [statsA, statsB] = await Promise.all([playerStats(a), playerStats(b)]);
      expect(statsA.size).toBeGreaterThanOrEqual(20);
      expect(statsA).toEqual(statsB);
      expect(compareResults(expected, await readResults(a))).toEqual([]);
      expect(compareResults(expected, await readResults(b))).toEqual([]);
    });
  }, 600_000);
});
