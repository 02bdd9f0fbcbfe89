// Each bad case of `up` ends with one line that says what is wrong and what to do, and exit code 1.
// Every case runs against its own state dir, so the shared stack is never touched.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { kafkaBrokers, mongoUri } from "../src/index.mjs";
import { freePort, privateStackEnv, runCli, type CliResult } from "./support.js";

const root = mkdtempSync(join(tmpdir(), "gametel-failures-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
const newDir = (name: string) => {
  const dir = join(root, `${name}-${counter++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** A bin folder with only the named tools in it (symlinks to the real ones, or scripts). */
function binWith(tools: Record<string, string>) {
  const bin = newDir("bin");
  for (const [name, target] of Object.entries(tools)) {
    if (target.startsWith("#!")) {
      writeFileSync(join(bin, name), target);
      chmodSync(join(bin, name), 0o755);
    } else {
      symlinkSync(target, join(bin, name));
    }
  }
  return bin;
}

const realJava = realpathSync(execFileSync("sh", ["-c", "command -v java"], { encoding: "utf8" }).trim());

function expectOneLine(result: CliResult, pattern: RegExp) {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

async function listen(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

describe("failures of up", () => {
  test("Kafka port taken by a foreign process", async () => {
    const env: NodeJS.ProcessEnv = { ...(await privateStackEnv(newDir("state"))), MONGODB_URI: mongoUri() };
    const port = Number(env.GAMETEL_KAFKA_PORT);
    const server = await listen(port);
    try {
      const result = await runCli(["up"], env);
      expectOneLine(
        result,
        new RegExp(
          `^gametel-stack: port ${port} \\(Kafka\\) is taken by another process, not by this stack; stop that process, or use it with KAFKA_BROKERS=localhost:${port}, or move the stack with GAMETEL_KAFKA_PORT`,
        ),
      );
      expect(result.stdout).not.toMatch(/started \(pid/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("MongoDB port taken by a foreign process", async () => {
    const env: NodeJS.ProcessEnv = {
      ...(await privateStackEnv(newDir("state"))),
      KAFKA_BROKERS: kafkaBrokers().join(","),
    };
    const port = Number(env.GAMETEL_MONGO_PORT);
    const server = await listen(port);
    try {
      expectOneLine(
        await runCli(["up"], env),
        new RegExp(
          `^gametel-stack: port ${port} \\(MongoDB server\\) is taken by another process, not by this stack;.*GAMETEL_MONGO_PORT`,
        ),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("no Java on PATH", async () => {
    const env: NodeJS.ProcessEnv = {
      ...(await privateStackEnv(newDir("state"))),
      PATH: binWith({ node: process.execPath }),
    };
    delete env.JAVA_HOME;
    expectOneLine(
      await runCli(["up"], env),
      /^gametel-stack: Java not found \(no `java` on PATH\): install a JDK 17 or newer .* and put it on PATH or set JAVA_HOME\.$/,
    );
  });

  test("Java older than 17", async () => {
    const java = `#!/bin/sh\necho 'openjdk version "11.0.22" 2024-01-16' >&2\n`;
    const env: NodeJS.ProcessEnv = { ...(await privateStackEnv(newDir("state"))), PATH: binWith({ java }) };
    delete env.JAVA_HOME;
    expectOneLine(
      await runCli(["up"], env),
      /^gametel-stack: Java 11 found \(java\), but Kafka 4 needs Java 17 or newer: install JDK 17\+ and put it first on PATH or set JAVA_HOME\.$/,
    );
  });

  test("Maven missing when the jars are not cached", async () => {
    const env: NodeJS.ProcessEnv = {
      ...(await privateStackEnv(newDir("state"))),
      KAFKA_BROKERS: kafkaBrokers().join(","),
      GAMETEL_STACK_ARTIFACTS: newDir("empty-artifacts"),
      PATH: binWith({ java: realJava }),
    };
    delete env.JAVA_HOME;
    expectOneLine(
      await runCli(["up"], env),
      /^gametel-stack: Maven \(mvn\) not found: it is needed once to fetch mongo-java-server [\d.]+ from Maven Central into .*; install Maven 3\.8\+/,
    );
  });

  test("download failed: Maven cannot reach its repository", async () => {
    // A real Maven with an empty local repository and a mirror on a closed loopback port.
    const home = newDir("home");
    const closed = await freePort();
    mkdirSync(join(home, ".m2"));
    writeFileSync(
      join(home, ".m2", "settings.xml"),
      `<settings><localRepository>${join(home, "repository")}</localRepository><mirrors><mirror><id>closed</id><mirrorOf>*</mirrorOf><url>http://127.0.0.1:${closed}/</url></mirror></mirrors></settings>`,
    );
    const artifacts = newDir("artifacts");
    const env: NodeJS.ProcessEnv = {
      ...(await privateStackEnv(newDir("state"))),
      KAFKA_BROKERS: kafkaBrokers().join(","),
      GAMETEL_STACK_ARTIFACTS: artifacts,
      MAVEN_OPTS: `-Duser.home=${home}`,
    };
    const result = await runCli(["up"], env);
    expectOneLine(
      result,
      /^gametel-stack: downloading mongo-java-server [\d.]+ with Maven failed \(exit 1\); see .*maven\.log and check access to Maven Central/,
    );
    expect(readFileSync(join(artifacts, "mongo", "maven.log"), "utf8")).toContain(`127.0.0.1:${closed}`);
    expect(existsSync(join(artifacts, "mongo", "lib", ".complete"))).toBe(false);
  });

  test("service fails to start: a damaged data file points at the log", async () => {
    const state = newDir("state");
    mkdirSync(join(state, "mongo", "data"), { recursive: true });
    writeFileSync(join(state, "mongo", "data", "gametel.mv"), "this is not an H2 MVStore file\n".repeat(200));
    const env: NodeJS.ProcessEnv = {
      ...(await privateStackEnv(state)),
      KAFKA_BROKERS: kafkaBrokers().join(","),
    };
    expectOneLine(
      await runCli(["up"], env),
      /^gametel-stack: MongoDB server exited while starting; see .*mongo\.log \(last error: .*MVStoreException.*\)\.$/,
    );
    expect(existsSync(join(state, "mongo", "mongo.pid"))).toBe(true); // written at spawn; the next call clears it
    const status = await runCli(["status", "--json"], env);
    expect(JSON.parse(status.stdout)[1]).toMatchObject({ service: "mongo", state: "stopped" });
    expect(existsSync(join(state, "mongo", "mongo.pid"))).toBe(false);
  });

  test("a pid file of a process that is not ours counts as stopped", async () => {
    const state = newDir("state");
    mkdirSync(join(state, "kafka"), { recursive: true });
    writeFileSync(join(state, "kafka", "kafka.pid"), `${process.pid}\n`);
    const env = await privateStackEnv(state);
    const down = await runCli(["down"], env);
    expect(down.stdout).toBe("kafka: not running\nmongo: not running\n");
    expect(existsSync(join(state, "kafka", "kafka.pid"))).toBe(false);
  });
});
