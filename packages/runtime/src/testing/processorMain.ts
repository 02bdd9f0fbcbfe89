import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { checkLogLine } from "@gametel/ops";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { committedTotal, produceRecords } from "./kafka.js";
import type { ProcessorLauncher } from "./launcher.js";
import { processorProgram } from "./sourceLauncher.js";

// Only what a shell would give: no KAFKA_BROKERS or MONGODB_URI of the test run leaks into the app.
const bareEnv = (launcher: ProcessorLauncher, env: Readonly<Record<string, string>> = {}) => ({
  PATH: process.env["PATH"] ?? "",
  HOME: process.env["HOME"] ?? "",
  ...launcher.env,
  ...env,
});

/**
 * Registers the unit tests of one processor app's command line (no broker needed): the shared help, and invalid
 * or missing settings refused with one line on stderr and exit code 2.
 */
export function processorCliSuite(launcher: ProcessorLauncher): void {
  const program = processorProgram(launcher);
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(launcher.command, [...launcher.args, ...args], {
      cwd: launcher.cwd,
      encoding: "utf8",
      env: bareEnv(launcher, env),
      timeout: 240_000,
    });

  describe(`${program} main`, () => {
    it("prints the shared help and exits 0", () => {
      const result = run(["--", "--help"]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Usage: ${program} [options]`);
      expect(result.stdout).toContain("--exit-when-caught-up");
      expect(result.stdout).toContain("KAFKA_SASL_PASSWORD");
    });

    it("refuses invalid configuration with one line on stderr and exit code 2", () => {
      const result = run(["--batch-size", "many"], {
        KAFKA_BROKERS: "localhost:9092",
        MONGODB_URI: "mongodb://localhost",
      });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toEqual([
        `${program}: invalid configuration: --batch-size must be an integer from 1 to 1000000, got "many"`,
      ]);
    });

    it("names the missing setting and its environment variable", () => {
      const result = run([]);
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toBe(
        `${program}: invalid configuration: --brokers is required (or set KAFKA_BROKERS)`,
      );
    });
  });
}

interface Exit {
  readonly code: number | null;
  readonly lines: readonly string[];
}

function start(launcher: ProcessorLauncher, args: readonly string[], onLine: (line: string) => void) {
  const child = spawn(launcher.command, [...launcher.args, ...args], {
    cwd: launcher.cwd,
    env: bareEnv(launcher),
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

const uniqueName = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;

/**
 * Registers the end-to-end tests of one processor app's `main` as an operator runs it, against the given broker
 * and MongoDB server: with `--exit-when-caught-up` it works through the input, commits and exits 0, every log line
 * in the one shape; on SIGTERM it leaves the group and exits 0. Fresh topics, group and database, removed after.
 */
export function processorMainSuite(options: {
  readonly launcher: ProcessorLauncher;
  readonly brokers: readonly string[];
  readonly mongoUri: string;
}): void {
  const { launcher, brokers, mongoUri } = options;
  const stopped = `"msg":"${launcher.name} engine stopped"`;

  describe(processorProgram(launcher), () => {
    const input = uniqueName(`main-${launcher.name}`);
    const group = uniqueName(`main-${launcher.name}-group`);
    const db = uniqueName(`main-${launcher.name}`);
    const topics = [input, `${input}.dlq`, `${input}.out`];
    const args = [
      ...["--brokers", brokers.join(","), "--mongo-uri", mongoUri, "--group", group],
      ...["--mongo-db", db],
      ...["--input-topic", input, "--dlq-topic", `${input}.dlq`, "--output-topic", `${input}.out`],
      ...["--partitions", "3", "--metrics-port", "0", "--log-level", "info"],
    ];
    let admin: Admin;

    beforeAll(async () => {
      admin = new Kafka({
        clientId: "gametel-main-test",
        brokers: [...brokers],
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: 3 }] });
      const records = Array.from({ length: 50 }, (_, i) => ({
        key: `player-${i % 7}`,
        value: JSON.stringify({ i }),
      }));
      await produceRecords(brokers, input, records);
    });

    afterAll(async () => {
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.deleteGroups([group]).catch(() => undefined);
      await admin.disconnect();
      const mongo = await MongoClient.connect(mongoUri);
      await mongo.db(db).dropDatabase();
      await mongo.close();
    });

    it("with --exit-when-caught-up, works through the input, commits and exits 0", async () => {
      const { exited } = start(launcher, [...args, "--exit-when-caught-up"], () => undefined);
      const { code, lines } = await exited;
      expect(code, lines.join("\n")).toBe(0);
      expect(lines.some((l) => l.includes(stopped))).toBe(true);
      // One log shape: pino JSON, level names, ISO time, no key twice (the client's own lines included).
      const json = lines.filter((l) => l.startsWith("{"));
      expect(json.length).toBeGreaterThan(3);
      for (const line of json) expect(checkLogLine(line), line).toEqual([]);
      expect(await committedTotal(brokers, group, input)).toBe(50n);
    });

    it("stops on SIGTERM: leaves the group and exits 0", async () => {
      let signalled = false;
      const { child, exited } = start(launcher, args, (line) => {
        if (!signalled && line.includes('"msg":"partitions assigned"')) {
          signalled = true;
          child.kill("SIGTERM");
        }
      });
      const { code, lines } = await exited;
      expect(signalled, lines.join("\n")).toBe(true);
      expect(code, lines.join("\n")).toBe(0);
      expect(lines.some((l) => l.includes(stopped))).toBe(true);
    });
  });
}
