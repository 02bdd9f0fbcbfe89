// Helpers for the integration tests: the source as a real child process (node --import tsx src/main.ts),
// unique topics and databases on the shared local stack, and a consumer that reads a topic from the start.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { kafkaBrokers, mongoUri, uniqueName } from "@gametel/devstack";
import { Kafka, logLevel, Partitioners, type IHeaders } from "kafkajs";
import { MongoClient, type Document } from "mongodb";

export const packageDir = fileURLToPath(new URL("..", import.meta.url));

export const kafka = new Kafka({
  clientId: "gametel-mongo-source-test",
  brokers: kafkaBrokers(),
  logLevel: logLevel.NOTHING,
});

export function directMongoUri(): string {
  const uri = mongoUri();
  return uri.includes("?") ? uri : `${uri}/?directConnection=true`;
}

export interface TestNames {
  readonly db: string;
  readonly events: string;
  readonly dlq: string;
  readonly source: string;
}

export function testNames(prefix: string): TestNames {
  const base = uniqueName(prefix);
  return { db: base, events: `${base}.events`, dlq: `${base}.dlq`, source: `src-${base}` };
}

export async function createTopics(topics: readonly { topic: string; partitions: number }[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = topics.filter((t) => existing.has(t));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}

/** The partition kafkajs' Java-compatible murmur2 partitioner (the Java client's) gives a key. */
export function expectedPartition(topic: string, key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
  }));
  return partitioner({ topic, partitionMetadata, message: { key, value: null } });
}

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** Reads topics from the beginning in the background; `records` grows as messages arrive. */
export async function startConsumer(topics: readonly string[]) {
  const consumer = kafka.consumer({ groupId: uniqueName("mongo-source-test"), maxWaitTimeInMs: 200 });
  const records: ConsumedRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      records.push({
        topic,
        partition,
        key: message.key === null ? null : message.key.toString("utf8"),
        value: message.value === null ? "" : message.value.toString("utf8"),
        headers: headersToStrings(message.headers),
      });
    },
  });
  return {
    records,
    async waitFor(
      predicate: (records: readonly ConsumedRecord[]) => boolean,
      timeoutMs = 60_000,
    ): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(records)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for records (have ${records.length})`);
        await delay(100);
      }
    },
    stop: () => consumer.disconnect(),
  };
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map((x) => x.toString()).join(",") : v.toString();
  }
  return out;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface SourceProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once a JSON log line with this `msg` was printed. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `src/main.ts` as its own node process (no wrapper), so a SIGKILL hits the source itself. */
export function startSource(names: TestNames, args: readonly string[]): SourceProcess {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/main.ts",
      "--name",
      names.source,
      "--mongo-uri",
      directMongoUri(),
      "--brokers",
      kafkaBrokers().join(","),
      "--db",
      names.db,
      "--events-topic",
      names.events,
      "--dlq-topic",
      names.dlq,
      "--log-interval-ms",
      "1000",
      // No ops server unless a test asks for one (9465 may be taken by another source).
      ...(args.includes("--metrics-port") ? [] : ["--metrics-port", "0"]),
      ...args,
    ],
    { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } },
  );
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let exitedEarly = false;
  void exit.then(() => (exitedEarly = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitForLog(msg, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const line of out.split("\n")) {
          if (!line.startsWith("{")) continue;
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (parsed.msg === msg) return parsed;
        }
        if (exitedEarly) throw new Error(`source exited before logging "${msg}"; stderr: ${err}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for log "${msg}"; stderr: ${err}`);
        await delay(50);
      }
    },
    exited: () => exit,
  };
}

export async function withMongo<T>(fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(directMongoUri());
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

const GAME = "test-game";

/**
 * `n` valid v1 events of several scopes, so keys come out as game:player, game:match and game:server.
 * Returned as plain documents, as a game server would insert them.
 */
export function makeEvents(n: number, start = 0): Document[] {
  const out: Document[] = [];
  for (let i = start; i < start + n; i++) {
    const base = {
      event_id: randomUUID(),
      event_version: 1,
      event_time: 1_750_000_000_000 + i * 37,
      game_id: GAME,
      server_id: `srv-${i % 3}`,
      session_id: null,
    };
    switch (i % 4) {
      case 0:
        out.push({
          ...base,
          event_type: "match_start",
          match_id: `m-${i % 7}`,
          player_id: null,
          data: { map: "dust", mode: "tdm" },
        });
        break;
      case 1:
        out.push({
          ...base,
          event_type: "perf_sample",
          match_id: null,
          player_id: null,
          data: { fps: 60 + (i % 30), ping_ms: i % 90 },
        });
        break;
      default:
        out.push({
          ...base,
          event_type: "player_kill",
          match_id: `m-${i % 7}`,
          player_id: `p-${i % 11}`,
          data: {
            victim_id: `p-${(i + 1) % 11}`,
            weapon: "rifle",
            headshot: i % 3 === 0,
            distance_m: i % 50,
          },
        });
    }
  }
  return out;
}

export async function insertInBatches(
  client: MongoClient,
  db: string,
  documents: readonly Document[],
  batchSize: number,
  pauseMs: number,
): Promise<void> {
  const collection = client.db(db).collection("telemetry");
  for (let i = 0; i < documents.length; i += batchSize) {
    await collection.insertMany(documents.slice(i, i + batchSize).map((d) => ({ ...d })));
    if (pauseMs > 0) await delay(pauseMs);
  }
}

/** Parses the source's JSON log lines. */
export function logLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export { uniqueName };
