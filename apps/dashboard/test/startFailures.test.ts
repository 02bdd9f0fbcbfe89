import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mongoUri } from "@gametel/devstack";
import { checkLogLine } from "@gametel/ops";
import { runAppToExit } from "@gametel/ops/testing";
import { describe, expect, it } from "vitest";

const cwd = fileURLToPath(new URL("..", import.meta.url));
const PROGRAM = "gametel-dashboard";
const main = "dist/server/main.js";

describe(`${PROGRAM}: command line and start failures`, () => {
  it.each([
    {
      title: "unreachable MongoDB: one line after the default 10 s, exit 3",
      args: ["--mongo-uri", "mongodb://127.0.0.1:1/?directConnection=true", "--port", "0"],
      exitCode: 3,
      maxMs: 15_000,
      stderr:
        `${PROGRAM}: cannot reach MongoDB at mongodb://127.0.0.1:1/?directConnection=true within 10 s ` +
        "(connect ECONNREFUSED 127.0.0.1:1); check that it runs and that --mongo-uri / MONGODB_URI points to it " +
        "(local stack: pnpm stack:status)\n",
    },
    {
      title: "unknown flag: one line at once, exit 2",
      args: ["--bogus"],
      exitCode: 2,
      maxMs: 15_000,
      stderr: `${PROGRAM}: invalid configuration: unknown option '--bogus'\n`,
    },
    {
      title: "open feed beyond localhost without keys: refused in one line at once, exit 2",
      args: ["--host", "0.0.0.0", "--port", "0"],
      exitCode: 2,
      maxMs: 15_000,
      stderr:
        `${PROGRAM}: invalid configuration: HOST 0.0.0.0 would open the OData feed and CSV exports to anyone who ` +
        "can reach it: set GAMETEL_ODATA_API_KEYS, listen on localhost only (the default, --host 127.0.0.1), or " +
        "pass --insecure-open (GAMETEL_INSECURE_OPEN=1) to serve it open on purpose\n",
    },
    {
      title: "bad value: one line at once, exit 2",
      args: ["--page-size", "lots"],
      exitCode: 2,
      maxMs: 15_000,
      stderr: `${PROGRAM}: invalid configuration: GAMETEL_ODATA_PAGE_SIZE must be an integer from 1 to 100000, got "lots"\n`,
    },
  ])("$title", async ({ args, exitCode, stderr, maxMs }) => {
    const run = await runAppToExit(args, { cwd, main });
    expect(run.stderr).toBe(stderr);
    expect(run.code).toBe(exitCode);
    // From the app's "starting" line, or its spawn for a usage error (which comes before it).
    expect(run.elapsedMs).toBeLessThan(maxMs);
    for (const line of run.lines) expect(checkLogLine(line), line).toEqual([]);
    expect(run.stdout).not.toMatch(/"stack"|\n\s+at /);
  });

  it("--help lists the flags with their variables and the exit codes, exit 0", async () => {
    const run = await runAppToExit(["--help"], { cwd, main });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: gametel-dashboard [options]");
    expect(run.stdout).toContain("--mongo-uri <uri>");
    expect(run.stdout).toContain("[MONGODB_URI]");
    expect(run.stdout).toContain("GAMETEL_ODATA_API_KEYS");
    expect(run.stdout).toContain("3 MongoDB unreachable");
  });

  it("logs in the one shape, warns when the feed is opened beyond localhost, stops on SIGTERM with 0", async () => {
    const child = spawn(process.execPath, [main, "--port", "0", "--host", "0.0.0.0", "--insecure-open"], {
      cwd,
      env: { PATH: process.env["PATH"] ?? "", MONGODB_URI: mongoUri(), GAMETEL_DASHBOARD_STATIC: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let signalled = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!signalled && stdout.includes("the OData feed")) {
        signalled = true;
        child.kill("SIGTERM");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    const lines = stdout.split("\n").filter((l) => l !== "");
    for (const line of lines) expect(checkLogLine(line), line).toEqual([]);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.find((e) => e["msg"] === "dashboard listening")).toMatchObject({
      level: "info",
      host: "0.0.0.0",
    });
    expect(entries.find((e) => e["level"] === "warn")?.["msg"]).toBe(
      "the OData feed and CSV exports are open to anyone who can reach 0.0.0.0 (--insecure-open): set " +
        "GAMETEL_ODATA_API_KEYS, or listen on localhost only (--host 127.0.0.1)",
    );
    expect(entries.at(-1)?.["msg"]).toBe("dashboard stopped");
  });
});
