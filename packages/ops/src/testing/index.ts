import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface AppRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Non-empty stdout lines. */
  readonly lines: readonly string[];
  /**
   * From the app's `starting` log line (stdout or stderr) to its exit, or from the spawn when it logged none: the
   * time the app itself took, without loading Node and compiling TypeScript on a busy machine.
   */
  readonly elapsedMs: number;
}

const STARTING = '"msg":"starting"';

export interface RunAppOptions {
  readonly cwd: string;
  /** The app's built entry, relative to `cwd`; default dist/main.js. */
  readonly main?: string;
  /** The whole environment of the app (nothing inherited but PATH and HOME). */
  readonly env?: Record<string, string>;
  /** Killed (SIGKILL) after this long; default 60 s. */
  readonly killAfterMs?: number;
}

/**
 * Runs an app's built `dist/main.js` as an operator runs it (its bin), until it exits on its own: for tests of
 * start failures, exit codes and log lines. Built, not from source through tsx: compiling the app on a busy machine
 * takes longer than the failures under test (turbo builds the app before its integration tests).
 */
export function runAppToExit(args: readonly string[], options: RunAppOptions): Promise<AppRun> {
  const started = Date.now();
  const main = options.main ?? "dist/main.js";
  if (!existsSync(join(options.cwd, main))) {
    throw new Error(`${join(options.cwd, main)} is missing: run \`pnpm build\` first`);
  }
  const child = spawn(process.execPath, [main, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let startingAt: number | null = null;
  const seen = (text: string) => {
    if (startingAt === null && text.includes(STARTING)) startingAt = Date.now();
  };
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    seen(stdout);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    seen(stderr);
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 60_000);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(killer);
      const lines = stdout.split("\n").filter((l) => l !== "");
      resolve({ code, stdout, stderr, lines, elapsedMs: Date.now() - (startingAt ?? started) });
    }),
  );
}
