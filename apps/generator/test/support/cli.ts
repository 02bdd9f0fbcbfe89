import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the generator's CLI (src/main.ts through tsx) as a user would; optionally sends a signal after a delay. */
export const runCli = (
  args: readonly string[],
  options: { readonly signalAfterMs?: number; readonly signal?: NodeJS.Signals } = {},
): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
      cwd: PACKAGE_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      options.signalAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill(options.signal ?? "SIGINT"), options.signalAfterMs);
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
