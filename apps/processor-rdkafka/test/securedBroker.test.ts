// Every gametel client against a secured broker (SASL_SSL, SCRAM-SHA-512, the stack's own CA), by configuration
// alone: the environment `gametel-stack up --security sasl_ssl` writes, as an operator sets it for Confluent Cloud.
// The test starts its own secured Kafka (private ports, a temporary state dir) and uses the ambient MongoDB.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, mongoUri, uniqueName } from "@gametel/devstack";
import { createGenerator, DEFAULT_START_TIME } from "@gametel/generator";
import {
  compareResults,
  launch,
  readResults,
  recomputeExpected,
  runToCaughtUp,
  sourceLauncher,
  waitForExit,
  type ScenarioTarget,
} from "@gametel/runtime/testing";
import { Kafka, logLevel } from "kafkajs";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const apps = new URL("../../", import.meta.url);
const appDir = (name: string) => fileURLToPath(new URL(`${name}/`, apps));
const stackCli = fileURLToPath(new URL("../packages/devstack/bin/gametel-stack.mjs", apps));

/** The environment without anything that points a client or the stack elsewhere. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // The jar cache stays shared (GAMETEL_STACK_ARTIFACTS).
  for (const name of Object.keys(env))
    if (/^(GAMETEL_|KAFKA_)/.test(name) && name !== "GAMETEL_STACK_ARTIFACTS") delete env[name];
  delete env.MONGODB_URI;
  return env;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv },
  timeoutMs: number,
) {
  return new Promise<Run>((resolve) => {
    execFile(
      command,
      args,
      { ...options, timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** An app's `main` from source, as its own tests start it. */
const fromSource = (app: string, main: string) => [
  "--import",
  "tsx",
  "--conditions=source",
  join(appDir(app), main),
];

/** `NAME='value'` lines of the stack's client.env. */
function readClientEnv(file: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([A-Z_]+)='(.*)'$/.exec(line);
    if (match) settings[match[1]!] = match[2]!;
  }
  return settings;
}

let stateDir: string;
let stackEnv: NodeJS.ProcessEnv;
let client: Record<string, string>;
let appEnv: NodeJS.ProcessEnv;
let mongo: MongoClient;
const mongoDirect = () => {
  const uri = mongoUri();
  return uri.includes("?") ? uri : `${uri}/?directConnection=true`;
};

/** A kafkajs client of the test's own, configured from the same settings as the apps. */
const secured = () =>
  new Kafka({
    clientId: "secured-broker-test",
    brokers: client.KAFKA_BROKERS!.split(","),
    ssl: { ca: [readFileSync(client.KAFKA_SSL_CA!, "utf8")] },
    sasl: {
      mechanism: "scram-sha-512",
      username: client.KAFKA_SASL_USERNAME!,
      password: client.KAFKA_SASL_PASSWORD!,
    },
    logLevel: logLevel.NOTHING,
  });

/** Records on a topic: the sum of its partitions' high watermarks. */
async function recordsOn(topic: string): Promise<number> {
  const admin = secured().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "gametel-secured-"));
  stackEnv = {
    ...cleanEnv(),
    GAMETEL_STACK_DIR: stateDir,
    GAMETEL_KAFKA_PORT: String(await freePort()),
    GAMETEL_KAFKA_CONTROLLER_PORT: String(await freePort()),
  };
  const started = Date.now();
  const up = await run(
    process.execPath,
    [stackCli, "up", "kafka", "--security", "sasl_ssl"],
    { env: stackEnv },
    240_000,
  );
  expect(up.code, up.stdout + up.stderr).toBe(0);
  console.log(
    `secured broker up in ${((Date.now() - started) / 1000).toFixed(1)} s (certificates, SCRAM users, start)`,
  );
  client = readClientEnv(join(stateDir, "kafka", "client.env"));
  expect(Object.keys(client).sort()).toEqual([
    "KAFKA_BROKERS",
    "KAFKA_SASL_MECHANISM",
    "KAFKA_SASL_PASSWORD",
    "KAFKA_SASL_USERNAME",
    "KAFKA_SECURITY_PROTOCOL",
    "KAFKA_SSL_CA",
  ]);
  // The stack prints every setting but the password.
  expect(up.stdout).toContain("KAFKA_SECURITY_PROTOCOL=SASL_SSL");
  expect(up.stdout).not.toContain(client.KAFKA_SASL_PASSWORD);
  appEnv = { ...cleanEnv(), ...client, MONGODB_URI: mongoDirect() };
  mongo = await MongoClient.connect(mongoDirect());
}, 300_000);

afterAll(async () => {
  await mongo?.close();
  if (stackEnv !== undefined) {
    const down = await run(process.execPath, [stackCli, "down", "kafka"], { env: stackEnv }, 60_000);
    if (down.code !== 0) console.error(`stack down: ${down.stdout}${down.stderr}`);
  }
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
}, 90_000);

describe("secured broker (SASL_SSL, SCRAM-SHA-512)", () => {
  it("the plaintext port is gone: a client without TLS and credentials gets no metadata", async () => {
    const admin = new Kafka({
      clientId: "plaintext",
      brokers: client.KAFKA_BROKERS!.split(","),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2_000,
      requestTimeout: 3_000,
      retry: { retries: 0 },
    }).admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect().catch(() => undefined);
  });

  it("generator, both processors (exact), dashboard health, mongo-source and collector connect by configuration alone", async () => {
    const base = uniqueName("sasl");
    const topic = `${base}.events`;
    const summaryFile = join(stateDir, "summary.json");
    const gen = {
      seed: 7,
      players: 60,
      matches: 6,
      servers: 4,
      events: 2_000,
      duplicates: 0.02,
      malformed: 0.01,
    };
    const generated = await run(
      process.execPath,
      [
        ...fromSource("generator", "src/main.ts"),
        "--kafka",
        topic,
        "--partitions",
        "3",
        "--seed",
        String(gen.seed),
        "--players",
        String(gen.players),
        "--matches",
        String(gen.matches),
        "--servers",
        String(gen.servers),
        "--events",
        String(gen.events),
        "--duplicates",
        String(gen.duplicates),
        "--malformed",
        String(gen.malformed),
        "--summary",
        summaryFile,
        "--progress",
        "off",
      ],
      { env: appEnv },
      120_000,
    );
    expect(generated.code, generated.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as {
      total_records: number;
      malformed: number;
    };
    expect(await recordsOn(topic)).toBe(summary.total_records);
    expect(summary.malformed).toBeGreaterThan(0);

    // The same records, generated here: what the processors must have computed.
    const records = createGenerator({
      seed: gen.seed,
      gameId: "arena",
      players: gen.players,
      matches: gen.matches,
      servers: gen.servers,
      startTime: DEFAULT_START_TIME,
      duplicates: gen.duplicates,
      outOfOrder: 0,
      late: 0,
      malformed: gen.malformed,
      malformedFormat: "json",
      windowMs: 300_000,
      graceMs: 60_000,
      maxRecords: gen.events,
    });
    const expected = recomputeExpected([...records].map((r) => r.json));

    const target = (engine: string): ScenarioTarget => ({
      brokers: client.KAFKA_BROKERS!.split(","),
      mongoUri: mongoDirect(),
      mongoDb: `${base}-${engine}`,
      group: `${base}-${engine}`,
      inputTopic: topic,
      dlqTopic: `${base}.${engine}.dlq`,
      lateTopic: `${base}.${engine}.late`,
      outputTopic: `${base}.${engine}.out`,
      partitions: 3,
    });
    // Security from the environment only (the launchers add no flag for it), as for a managed Kafka.
    const engines = [
      { ...sourceLauncher("kafkajs", new URL("processor-kafkajs/", apps)), env: client },
      { ...sourceLauncher("rdkafka", new URL("processor-rdkafka/", apps)), env: client },
    ];
    await Promise.all(engines.map((engine) => runToCaughtUp(engine, target(engine.name), 150_000)));
    for (const engine of engines) {
      const actual = await readResults(mongo.db(target(engine.name).mongoDb));
      expect(compareResults(expected, actual), engine.name).toEqual([]);
      expect(actual.players.size, engine.name).toBeGreaterThan(0);
      expect(await recordsOn(target(engine.name).dlqTopic), engine.name).toBeGreaterThanOrEqual(
        summary.malformed,
      );
    }

    // The dashboard's Kafka health read: the kafkajs processor's dead letters, counted over SASL_SSL.
    const deadLetters = await recordsOn(target("kafkajs").dlqTopic);
    const dashboardPort = await freePort();
    const dashboard = spawn(process.execPath, fromSource("dashboard", "src/server/main.ts"), {
      env: {
        ...appEnv,
        PORT: String(dashboardPort),
        GAMETEL_MONGO_DB: target("kafkajs").mongoDb,
        GAMETEL_DLQ_TOPICS: target("kafkajs").dlqTopic,
        GAMETEL_METRICS_URLS: "",
        GAMETEL_DASHBOARD_STATIC: "",
        GAMETEL_LIVE_POLL_MS: "300",
        GAMETEL_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let dashboardOutput = "";
    dashboard.stdout.on("data", (chunk: Buffer) => (dashboardOutput += chunk.toString()));
    dashboard.stderr.on("data", (chunk: Buffer) => (dashboardOutput += chunk.toString()));
    try {
      let last: unknown;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const response = await fetch(`http://127.0.0.1:${dashboardPort}/api/views/health`).catch(() => null);
        if (response?.ok) {
          last = ((await response.json()) as { data: { deadLetters: unknown } }).data.deadLetters;
          const dl = last as { records?: number; distinct?: number; error?: string | null } | null;
          // Dead letters are at least once (a replay may write one again); the distinct ones are the malformed records.
          if (dl?.error === null && dl.records === deadLetters && dl.distinct === summary.malformed) break;
        }
        if (Date.now() > deadline)
          throw new Error(`dashboard health: ${JSON.stringify(last)}\n${dashboardOutput}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(dashboardOutput).not.toContain(client.KAFKA_SASL_PASSWORD);
    } finally {
      dashboard.kill("SIGTERM");
    }

    // mongo-source: documents the generator inserted into MongoDB, published over SASL_SSL.
    const sourceDb = `${base}-source`;
    const inserted = await run(
      process.execPath,
      [
        ...fromSource("generator", "src/main.ts"),
        "--mongo",
        "--mongo-db",
        sourceDb,
        "--events",
        "100",
        "--progress",
        "off",
      ],
      { env: appEnv },
      60_000,
    );
    expect(inserted.code, inserted.stderr).toBe(0);
    const sourceTopic = `${base}.source`;
    const sourced = await run(
      process.execPath,
      [
        ...fromSource("mongo-source", "src/main.ts"),
        "--db",
        sourceDb,
        "--copy-existing",
        "--max-events",
        "100",
        "--events-topic",
        sourceTopic,
        "--dlq-topic",
        `${base}.source-dlq`,
        "--partitions",
        "3",
        "--metrics-port",
        "0",
        "--log-level",
        "warn",
      ],
      { env: appEnv },
      90_000,
    );
    expect(sourced.code, sourced.stdout + sourced.stderr).toBe(0);
    expect(await recordsOn(sourceTopic)).toBe(100);
    await mongo.db(sourceDb).dropDatabase();

    // The collector: one request, 200 only after Kafka acknowledged it.
    const event = [...createGenerator({ seed: 3, gameId: "arena", maxRecords: 200 })]
      .map((r) => JSON.parse(r.json) as { event_type: string })
      .find((e) => e.event_type === "session_start");
    expect(event).toBeDefined();
    const collectorPort = await freePort();
    const collectorTopic = `${base}.collected`;
    const collector = spawn(
      process.execPath,
      [
        ...fromSource("collector", "src/main.ts"),
        "--port",
        String(collectorPort),
        "--host",
        "127.0.0.1",
        "--events-topic",
        collectorTopic,
        "--dlq-topic",
        `${base}.collected-dlq`,
        "--log-level",
        "warn",
      ],
      {
        env: {
          ...appEnv,
          GAMETEL_COLLECTOR_KEYS: JSON.stringify([{ game_id: "arena", key_id: "web", public: true }]),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let collectorOutput = "";
    collector.stdout.on("data", (chunk: Buffer) => (collectorOutput += chunk.toString()));
    collector.stderr.on("data", (chunk: Buffer) => (collectorOutput += chunk.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while ((await fetch(`http://127.0.0.1:${collectorPort}/readyz`).catch(() => null))?.status !== 200) {
        if (Date.now() > deadline || collector.exitCode !== null)
          throw new Error(`collector not ready:\n${collectorOutput}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const response = await fetch(`http://127.0.0.1:${collectorPort}/v1/games/arena/events`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-gametel-key": "web" },
        body: JSON.stringify([event]),
      });
      expect(response.status, await response.text()).toBe(200);
      expect(await recordsOn(collectorTopic)).toBe(1);
      expect(collectorOutput).not.toContain(client.KAFKA_SASL_PASSWORD);
    } finally {
      collector.kill("SIGTERM");
    }
    for (const engine of engines) await mongo.db(target(engine.name).mongoDb).dropDatabase();
  });

  it("a wrong password: the processor exits non-zero with one line naming the authentication, no secret", async () => {
    const wrong = `wrong-${uniqueName("pw")}`;
    // Both engines at once; each fails at its start-up check without waiting for the connect timeout.
    const runs = ["kafkajs", "rdkafka"].map((name) => ({
      name,
      processor: launch(
        {
          ...sourceLauncher(name, new URL(`processor-${name}/`, apps)),
          env: { ...client, KAFKA_SASL_PASSWORD: wrong },
        },
        [
          "--brokers",
          client.KAFKA_BROKERS!,
          "--mongo-uri",
          mongoDirect(),
          "--group",
          uniqueName("wrong"),
          "--metrics-port",
          "0",
          "--log-level",
          "warn",
          "--exit-when-caught-up",
        ],
      ),
    }));
    for (const { name, processor } of runs) {
      const { code } = await waitForExit(processor, 60_000, `${name} with a wrong password`);
      const output = processor.output.join("\n");
      expect(code, output).toBe(3);
      expect(output).toContain("refused the SASL credentials");
      expect(processor.output, output).toHaveLength(1);
      expect(output).toMatch(/authentication/i);
      expect(output).toContain("KAFKA_SASL_PASSWORD");
      expect(output).not.toContain(wrong);
      expect(output).not.toContain(client.KAFKA_SASL_PASSWORD);
      expect(output).not.toMatch(/^\s+at /m);
    }
  });
});
