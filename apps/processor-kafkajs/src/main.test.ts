import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cwd = fileURLToPath(new URL("..", import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", "src/main.ts", ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
    timeout: 240_000,
  });

describe("gametel-processor-kafkajs main", () => {
  it("prints the shared help and exits 0", () => {
    const result = run(["--", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: gametel-processor-kafkajs [options]");
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
      'gametel-processor-kafkajs: invalid configuration: --batch-size must be an integer from 1 to 1000000, got "many"',
    ]);
  });

  it("names the missing setting and its environment variable", () => {
    const result = run([]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      "gametel-processor-kafkajs: invalid configuration: --brokers is required (or set KAFKA_BROKERS)",
    );
  });
});
