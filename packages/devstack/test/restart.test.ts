// A private stack (own state dir, own free ports) goes through up, up again, down, up and up --fresh,
// so the shared stack that other tests use is never restarted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kafkaBrokers, mongoUri, uniqueName } from "../src/index.mjs";
import { portIsFree } from "../src/net.mjs";
import { privateStackEnv, runCli } from "./support.js";

const stateDir = mkdtempSync(join(tmpdir(), "gametel-restart-"));
let env: NodeJS.ProcessEnv = {};
const topic = uniqueName("restart");
const dbName = uniqueName("restart");
const record = { key: "player-7", value: uniqueName("kill") };

const kafkaOf = () =>
  new Kafka({ clientId: "devstack-restart", brokers: kafkaBrokers(env), logLevel: logLevel.ERROR });

async function writeData() {
  const admin = kafkaOf().admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafkaOf().producer();
  await producer.connect();
  await producer.send({ topic, messages: [record] });
  await producer.disconnect();
  const client = new MongoClient(mongoUri(env));
  await client
    .db(dbName)
    .collection("sessions")
    .insertOne({ _id: "s1" as never, lengthMs: 93_000 });
  await client.close();
}

async function readRecords() {
  const admin = kafkaOf().admin();
  await admin.connect();
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) {
    await admin.disconnect();
    return [];
  }
  const [offsets] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const end = Number(offsets?.high ?? 0);
  if (end === 0) return [];
  const consumer = kafkaOf().consumer({ groupId: uniqueName("restart-group") });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const records: { key: string | undefined; value: string | undefined }[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        records.push({ key: message.key?.toString(), value: message.value?.toString() });
        if (Number(message.offset) + 1 >= end) resolve();
      },
    });
  });
  await consumer.disconnect();
  return records;
}

async function readDocuments() {
  const client = new MongoClient(mongoUri(env));
  const documents = await client.db(dbName).collection("sessions").find().toArray();
  await client.close();
  return documents;
}

beforeAll(async () => {
  env = await privateStackEnv(stateDir);
});

afterAll(async () => {
  await runCli(["down"], env);
  rmSync(stateDir, { recursive: true, force: true });
}, 120_000);

describe("stack lifecycle", { timeout: 240_000 }, () => {
  test("up starts both services and a second up says already running", async () => {
    const first = await runCli(["up"], env);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toMatch(
      new RegExp(`kafka: started \\(pid \\d+\\) on localhost:${env.GAMETEL_KAFKA_PORT}`),
    );
    expect(first.stdout).toMatch(
      new RegExp(`mongo: started \\(pid \\d+\\) on mongodb://localhost:${env.GAMETEL_MONGO_PORT}`),
    );

    const second = await runCli(["up"], env);
    expect(second).toMatchObject({ code: 0, stderr: "" });
    expect(second.stdout).toMatch(/^kafka: already running \(pid \d+\)/m);
    expect(second.stdout).toMatch(/^mongo: already running \(pid \d+\)/m);
  });

  test("status shows pids, endpoints, data dirs and log files", async () => {
    const result = await runCli(["status", "--json"], env);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({
        service: "kafka",
        state: "running",
        answers: true,
        pid: expect.any(Number),
        endpoint: `localhost:${env.GAMETEL_KAFKA_PORT}`,
        dataDir: join(stateDir, "kafka", "data"),
        logFile: join(stateDir, "kafka", "kafka.log"),
      }),
      expect.objectContaining({
        service: "mongo",
        state: "running",
        answers: true,
        pid: expect.any(Number),
        endpoint: `mongodb://localhost:${env.GAMETEL_MONGO_PORT}`,
        dataDir: join(stateDir, "mongo", "data"),
        logFile: join(stateDir, "mongo", "mongo.log"),
      }),
    ]);
  });

  test("data written before down is there after up", async () => {
    await writeData();
    const down = await runCli(["down"], env);
    expect(down.stdout).toMatch(/^kafka: stopped \(pid \d+\)$/m);
    expect(down.stdout).toMatch(/^mongo: stopped \(pid \d+\)$/m);
    for (const port of [env.GAMETEL_KAFKA_PORT, env.GAMETEL_KAFKA_CONTROLLER_PORT, env.GAMETEL_MONGO_PORT]) {
      expect(await portIsFree(Number(port))).toBe(true);
    }
    expect((await runCli(["down"], env)).stdout).toBe("kafka: not running\nmongo: not running\n");

    expect(await runCli(["up"], env)).toMatchObject({ code: 0, stderr: "" });
    expect(await readDocuments()).toEqual([{ _id: "s1", lengthMs: 93_000 }]);
    expect(await readRecords()).toEqual([record]);
  });

  test("up --fresh wipes the data", async () => {
    const fresh = await runCli(["up", "--fresh"], env);
    expect(fresh).toMatchObject({ code: 0, stderr: "" });
    expect(fresh.stdout).toContain("kafka: data wiped (--fresh)");
    expect(fresh.stdout).toContain("mongo: data wiped (--fresh)");
    expect(await readDocuments()).toEqual([]);
    expect(await readRecords()).toEqual([]);
  });
});
