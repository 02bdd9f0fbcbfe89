import { spawn } from "node:child_process";

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
  /** The app's entry, relative to `cwd`; default src/main.ts. */
  readonly main?: string;
  /** The whole environment of the app (nothing inherited but PATH and HOME). */
  readonly env?: Record<string, string>;
  /** Killed (SIGKILL) after this long; default 60 s. */
  readonly killAfterMs?: number;
}

/**
 * Runs an app's `src/main.ts` from source with tsx, as an operator would run it, until it exits on its own: for
 * tests of start failures, exit codes and log lines.
 */
export function runAppToExit(args: readonly string[], options: RunAppOptions): Promise<AppRun> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", options.main ?? "src/main.ts", ...args],
    {
      cwd: options.cwd,
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
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
