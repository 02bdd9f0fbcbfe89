import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { kafkaBrokers, mongoUri, uniqueName } from "@gametel/devstack";
import { checkLogLine } from "@gametel/ops";
import { Kafka, Partitioners, logLevel, type Admin } from "kafkajs";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The app as an operator runs it: `--exit-when-caught-up` exits 0 once the group has no lag, SIGTERM stops cleanly.
const cwd = fileURLToPath(new URL("..", import.meta.url));
const brokers = kafkaBrokers();

interface Exit {
  readonly code: number | null;
  readonly lines: readonly string[];
}

function start(args: readonly string[], onLine: (line: string) => void = () => undefined) {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", "src/main.ts", ...args], {
    cwd,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      onLine(line);
    }
  });
  child.stderr.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on("exit", (code) => resolve({ code, lines })));
  return { child, exited };
}

describe("gametel-processor-kafkajs", () => {
  const kafka = new Kafka({ clientId: "gametel-main-test", brokers, logLevel: logLevel.NOTHING });
  const input = uniqueName("main-kafkajs");
  const group = uniqueName("main-kafkajs-group");
  const db = uniqueName("main-kafkajs");
  const topics = [input, `${input}.dlq`, `${input}.out`];
  const args = [
    ...["--brokers", brokers.join(","), "--mongo-uri", mongoUri(), "--group", group],
    ...["--mongo-db", db],
    ...["--input-topic", input, "--dlq-topic", `${input}.dlq`, "--output-topic", `${input}.out`],
    ...["--partitions", "3", "--metrics-port", "0", "--log-level", "info"],
  ];
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: 3 }] });
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    await producer.send({
      topic: input,
      acks: -1,
      messages: Array.from({ length: 50 }, (_, i) => ({
        key: `player-${i % 7}`,
        value: JSON.stringify({ i }),
      })),
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
    const mongo = await MongoClient.connect(mongoUri());
    await mongo.db(db).dropDatabase();
    await mongo.close();
  });

  it("with --exit-when-caught-up, works through the input, commits and exits 0", async () => {
    const { exited } = start([...args, "--exit-when-caught-up"]);
    const { code, lines } = await exited;
    expect(code, lines.join("\n")).toBe(0);
    expect(lines.some((l) => l.includes('"msg":"kafkajs engine stopped"'))).toBe(true);
    // One log shape: pino JSON, level names, ISO time, no key twice (the client's own lines included).
    const json = lines.filter((l) => l.startsWith("{"));
    expect(json.length).toBeGreaterThan(3);
    for (const line of json) expect(checkLogLine(line), line).toEqual([]);
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [input] });
    const committed = offsets[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(50);
  });

  it("stops on SIGTERM: leaves the group and exits 0", async () => {
    let signalled = false;
    const { child, exited } = start(args, (line) => {
      if (!signalled && line.includes('"msg":"partitions assigned"')) {
        signalled = true;
        child.kill("SIGTERM");
      }
    });
    const { code, lines } = await exited;
    expect(signalled, lines.join("\n")).toBe(true);
    expect(code, lines.join("\n")).toBe(0);
    expect(lines.some((l) => l.includes('"msg":"kafkajs engine stopped"'))).toBe(true);
  });
});
