import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runAppToExit } from "@gametel/ops/testing";

const cwd = fileURLToPath(new URL("..", import.meta.url));
const PROGRAM = "gametel-generator";
const HINT = "check that it runs and that";
const STACK = "points to it (local stack: pnpm stack:status)";

describe(`${PROGRAM}: start failures`, () => {
  it.each([
    {
      title: "unreachable broker: one line after the default 10 s, exit 3",
      args: ["--kafka", "telemetry.events", "--brokers", "127.0.0.1:1", "--events", "10"],
      exitCode: 3,
      maxMs: 15_000,
      line:
        `${PROGRAM}: cannot reach Kafka at 127.0.0.1:1 within 10 s ` +
        `(Connection error: connect ECONNREFUSED 127.0.0.1:1); ${HINT} --brokers / KAFKA_BROKERS ${STACK}`,
    },
    {
      title: "unreachable MongoDB: one line after --connect-timeout-ms, exit 3",
      args: [
        ...["--mongo", "--mongo-uri", "mongodb://127.0.0.1:1/?directConnection=true"],
        ...["--events", "10", "--connect-timeout-ms", "2000"],
      ],
      exitCode: 3,
      maxMs: 15_000,
      line:
        `${PROGRAM}: cannot reach MongoDB at mongodb://127.0.0.1:1/?directConnection=true within 2 s ` +
        `(connect ECONNREFUSED 127.0.0.1:1); ${HINT} --mongo-uri / MONGODB_URI ${STACK}`,
    },
    {
      title: "unknown flag: one line at once, exit 2",
      args: ["--bogus"],
      exitCode: 2,
      maxMs: 15_000,
      line: `${PROGRAM}: invalid configuration: unknown option '--bogus' (--help for usage)`,
    },
    {
      title: "contradicting flags: one line at once, exit 2",
      args: ["--out", "-", "--mongo"],
      exitCode: 2,
      maxMs: 15_000,
      line: `${PROGRAM}: invalid configuration: choose exactly one target: --out FILE|-, --kafka TOPIC or --mongo (--help for usage)`,
    },
  ])("$title", async ({ args, exitCode, line, maxMs }) => {
    const run = await runAppToExit([...args, "--progress", "off"], { cwd });
    // stderr is the generator's human channel: nothing but the one line (its JSON log is at debug level here).
    expect(run.stderr).toBe(`${line}\n`);
    expect(run.code).toBe(exitCode);
    // From its spawn (the generator logs its "starting" line at debug level only).
    expect(run.elapsedMs).toBeLessThan(maxMs);
    expect(run.stdout).toBe("");
  });
});
