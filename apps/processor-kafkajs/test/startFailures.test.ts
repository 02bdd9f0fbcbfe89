import { fileURLToPath } from "node:url";
import { kafkaBrokers, mongoUri } from "@gametel/devstack";
import { checkLogLine } from "@gametel/ops";
import { runAppToExit } from "@gametel/ops/testing";
import { processorStartFailures } from "@gametel/runtime/testing";
import { describe, expect, it } from "vitest";

const cwd = fileURLToPath(new URL("..", import.meta.url));
const program = "gametel-processor-kafkajs";
const target = { program, brokers: kafkaBrokers().join(","), mongoUri: mongoUri() };

describe(`${program}: start failures`, () => {
  for (const failure of processorStartFailures(target)) {
    it(failure.title, async () => {
      const run = await runAppToExit(failure.args, { cwd });
      expect(run.stderr).toBe(failure.stderr);
      expect(run.code).toBe(failure.exitCode);
      expect(run.elapsedMs).toBeLessThan(failure.maxMs);
      for (const line of run.lines) expect(checkLogLine(line), line).toEqual([]);
      expect(run.stdout).not.toMatch(/"stack"|\n\s+at /);
    });
  }

  it("with --log-level debug, the debug log carries the error's stack", async () => {
    const run = await runAppToExit(
      [
        "--brokers",
        "127.0.0.1:1",
        "--mongo-uri",
        target.mongoUri,
        "--connect-timeout-ms",
        "1000",
        "--log-level",
        "debug",
      ],
      { cwd },
    );
    expect(run.code).toBe(3);
    const failed = run.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((e) => e["msg"] === "start failed");
    expect(failed?.["level"]).toBe("debug");
    expect(JSON.stringify(failed?.["err"])).toContain("UnreachableError");
    expect(JSON.stringify(failed?.["err"])).toContain("at ");
  });
});
