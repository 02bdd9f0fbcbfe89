import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the generator's CLI (src/main.ts through tsx) as a user would; optionally sends it a signal. */
export const runCli = (
  args: readonly string[],
  options: {
    /** Sends `signal` this long after the CLI printed its "start" line. */
    readonly signalAfterStartMs?: number;
    readonly signal?: NodeJS.Signals;
  } = {},
): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
      cwd: PACKAGE_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.signalAfterStartMs !== undefined && timer === undefined && /^start /m.test(stderr)) {
        timer = setTimeout(() => child.kill(options.signal ?? "SIGINT"), options.signalAfterStartMs);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

/** The JSON summary: the last line of stderr. */
export const summaryOf = (run: CliRun): Record<string, unknown> & Record<"total_records", number> => {
  const line = run.stderr.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as Record<string, unknown> & Record<"total_records", number>;
};
