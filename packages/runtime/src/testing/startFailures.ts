import { checkLogLine } from "@gametel/ops";
import { runAppToExit } from "@gametel/ops/testing";
import { describe, expect, it } from "vitest";

/** One way a processor app must refuse to start, with the exact line and exit code it must end with. */
export interface StartFailureCase {
  readonly title: string;
  readonly args: readonly string[];
  readonly exitCode: number;
  /** The whole of stderr: one line. */
  readonly stderr: string;
  /** Most time from the app's "starting" line (or its spawn, for a usage error) to its exit, loosely. */
  readonly maxMs: number;
}

const KAFKA_HINT =
  "check that it runs and that --brokers / KAFKA_BROKERS points to it (local stack: pnpm stack:status)";
const MONGO_HINT =
  "check that it runs and that --mongo-uri / MONGODB_URI points to it (local stack: pnpm stack:status)";

/**
 * The start failures every processor app shares (unreachable broker with the default timeout, unreachable MongoDB,
 * an unknown flag), given a reachable broker and MongoDB for the other dependency.
 */
export function processorStartFailures(target: {
  readonly program: string;
  readonly brokers: string;
  readonly mongoUri: string;
}): StartFailureCase[] {
  const { program } = target;
  return [
    {
      title: "unreachable broker: one line after the default 10 s, exit 3",
      args: ["--brokers", "127.0.0.1:1", "--mongo-uri", target.mongoUri, "--metrics-port", "0"],
      exitCode: 3,
      maxMs: 15_000,
      stderr:
        `${program}: cannot reach Kafka at 127.0.0.1:1 within 10 s ` +
        `(Connection error: connect ECONNREFUSED 127.0.0.1:1); ${KAFKA_HINT}\n`,
    },
    {
      title: "unreachable MongoDB: one line after --connect-timeout-ms, exit 3",
      args: [
        ...["--brokers", target.brokers, "--metrics-port", "0", "--connect-timeout-ms", "2000"],
        ...["--mongo-uri", "mongodb://127.0.0.1:1/?directConnection=true"],
      ],
      exitCode: 3,
      maxMs: 15_000,
      stderr:
        `${program}: cannot reach MongoDB at mongodb://127.0.0.1:1/?directConnection=true within 2 s ` +
        `(connect ECONNREFUSED 127.0.0.1:1); ${MONGO_HINT}\n`,
    },
    {
      title: "unknown flag: one line at once, exit 2",
      args: ["--brokers", target.brokers, "--mongo-uri", target.mongoUri, "--bogus"],
      exitCode: 2,
      maxMs: 15_000,
      stderr: `${program}: invalid configuration: unknown option '--bogus'\n`,
    },
  ];
}

/**
 * Registers the shared start-failure tests for one processor app (run through its built command in `cwd`): each
 * case's exact stderr line, exit code and loose time bound, log lines of the one shape, no stack unless
 * `--log-level debug`, and the stack in the debug log.
 */
export function processorStartFailureSuite(options: {
  readonly program: string;
  readonly cwd: string;
  readonly brokers: string;
  readonly mongoUri: string;
}): void {
  const { program, cwd, mongoUri } = options;
  describe(`${program}: start failures`, () => {
    for (const failure of processorStartFailures(options)) {
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
          mongoUri,
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
}
