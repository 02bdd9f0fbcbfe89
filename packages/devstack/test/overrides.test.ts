// KAFKA_BROKERS / MONGODB_URI: the stack starts nothing for that service and only checks it answers.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { kafkaBrokers, mongoUri } from "../src/index.mjs";
import { baseEnv, freePort, runCli } from "./support.js";

const stateDir = mkdtempSync(join(tmpdir(), "gametel-overrides-"));
// The running stack (or the external one this run was pointed at) plays the external cluster.
const external = { KAFKA_BROKERS: kafkaBrokers().join(","), MONGODB_URI: mongoUri() };

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe("external endpoints", () => {
  test("up starts nothing and reports the external endpoints", async () => {
    const result = await runCli(["up"], { ...baseEnv(), ...external, GAMETEL_STACK_DIR: stateDir });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain(
      `kafka: external KAFKA_BROKERS=${external.KAFKA_BROKERS} answers; nothing started`,
    );
    expect(result.stdout).toContain("mongo: external MONGODB_URI=");
    expect(result.stdout).not.toMatch(/started \(pid/);
    expect(existsSync(join(stateDir, "kafka"))).toBe(false);
    expect(existsSync(join(stateDir, "mongo"))).toBe(false);
  });

  test("status shows them as external and answering", async () => {
    const result = await runCli(["status", "--json"], {
      ...baseEnv(),
      ...external,
      GAMETEL_STACK_DIR: stateDir,
    });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as {
      service: string;
      state: string;
      answers: boolean;
      pid?: number;
    }[];
    expect(rows.map(({ service, state, answers, pid }) => ({ service, state, answers, pid }))).toEqual([
      { service: "kafka", state: "external", answers: true, pid: undefined },
      { service: "mongo", state: "external", answers: true, pid: undefined },
    ]);
  });

  test("only one override: the other service is still local", async () => {
    const result = await runCli(["status", "--json"], {
      ...baseEnv(),
      MONGODB_URI: external.MONGODB_URI,
      GAMETEL_STACK_DIR: stateDir,
    });
    const rows = JSON.parse(result.stdout) as { service: string; state: string }[];
    expect(rows.map(({ service, state }) => `${service}:${state}`)).toEqual([
      "kafka:stopped",
      "mongo:external",
    ]);
  });

  test("an external Kafka that does not answer is one clear line", async () => {
    const port = await freePort();
    const result = await runCli(["up", "kafka"], {
      ...baseEnv(),
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      GAMETEL_STACK_DIR: stateDir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^gametel-stack: KAFKA_BROKERS=127\\.0\\.0\\.1:${port} does not answer \\(.*ECONNREFUSED.*\\); check the address, or unset KAFKA_BROKERS`,
      ),
    );
  });

  test("an external MongoDB that does not answer is one clear line", async () => {
    const port = await freePort();
    const result = await runCli(["up", "mongo"], {
      ...baseEnv(),
      MONGODB_URI: `mongodb://127.0.0.1:${port}`,
      GAMETEL_STACK_DIR: stateDir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^gametel-stack: MONGODB_URI=mongodb://127\\.0\\.0\\.1:${port} does not answer \\(.*\\); check the address, or unset MONGODB_URI`,
      ),
    );
  });
});
