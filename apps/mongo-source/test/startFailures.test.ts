import { fileURLToPath } from "node:url";
import { kafkaBrokers, mongoUri } from "@gametel/devstack";
import { checkLogLine } from "@gametel/ops";
import { runAppToExit } from "@gametel/ops/testing";
import { describe, expect, it } from "vitest";

const cwd = fileURLToPath(new URL("..", import.meta.url));
const PROGRAM = "gametel-mongo-source";
const HINT = "check that it runs and that";
const STACK = "points to it (local stack: pnpm stack:status)";

describe(`${PROGRAM}: start failures`, () => {
  it.each([
    {
      title: "unreachable MongoDB: one line after the default 10 s, exit 3",
      args: [
        "--mongo-uri",
        "mongodb://127.0.0.1:1/?directConnection=true",
        "--brokers",
        kafkaBrokers().join(","),
      ],
      exitCode: 3,
      maxMs: 15_000,
      stderr:
        `${PROGRAM}: cannot reach MongoDB at mongodb://127.0.0.1:1/?directConnection=true within 10 s ` +
        `(connect ECONNREFUSED 127.0.0.1:1); ${HINT} --mongo-uri / MONGODB_URI ${STACK}\n`,
    },
    {
      title: "unreachable broker: one line after --connect-timeout-ms, exit 3",
      args: ["--mongo-uri", mongoUri(), "--brokers", "127.0.0.1:1", "--connect-timeout-ms", "2000"],
      exitCode: 3,
      maxMs: 15_000,
      stderr:
        `${PROGRAM}: cannot reach Kafka at 127.0.0.1:1 within 2 s ` +
        `(Connection error: connect ECONNREFUSED 127.0.0.1:1); ${HINT} --brokers / KAFKA_BROKERS ${STACK}\n`,
    },
    {
      title: "unknown flag: one line at once, exit 2",
      args: ["--bogus"],
      exitCode: 2,
      maxMs: 15_000,
      stderr: `${PROGRAM}: invalid configuration: unknown option '--bogus'\n`,
    },
    {
      title: "bad value: one line at once, exit 2",
      args: ["--metrics-port", "http"],
      exitCode: 2,
      maxMs: 15_000,
      stderr: `${PROGRAM}: invalid configuration: option '--metrics-port <port>' argument 'http' is invalid. expected a port from 0 to 65535\n`,
    },
    {
      title: "a --copy-since without a zone: one line at once, exit 2",
      args: ["--reset", "--copy-since", "2026-12-07T23:00:00"],
      exitCode: 2,
      maxMs: 15_000,
      stderr:
        `${PROGRAM}: invalid configuration: option '--copy-since <time>' argument '2026-12-07T23:00:00' is invalid. ` +
        `expected an ISO 8601 time with a zone, e.g. 2026-12-07T23:00:00Z, got "2026-12-07T23:00:00"\n`,
    },
  ])("$title", async ({ args, exitCode, stderr, maxMs }) => {
    const run = await runAppToExit(args, { cwd, env: { GAMETEL_SOURCE_METRICS_PORT: "0" } });
    expect(run.stderr).toBe(stderr);
    expect(run.code).toBe(exitCode);
    // From the app's "starting" line, or its spawn for a usage error (which comes before it).
    expect(run.elapsedMs).toBeLessThan(maxMs);
    for (const line of run.lines) expect(checkLogLine(line), line).toEqual([]);
    expect(run.stdout).not.toMatch(/"stack"|\n\s+at /);
  });
});
