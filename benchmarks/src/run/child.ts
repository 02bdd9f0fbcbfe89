import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseTimeV, type ProcessUsage } from "../internal/timeV.js";

export interface ChildCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ChildResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From `/usr/bin/time -v` when it is available and measured (null otherwise). */
  readonly usage: ProcessUsage | null;
  readonly wallSeconds: number;
  readonly stderrTail: string;
  /** The child was stopped because it ran past `timeoutMs` (it may still exit 0: the runners stop cleanly). */
  readonly timedOut: boolean;
}

export interface RunningChild {
  readonly pid: number | undefined;
  /** Sends SIGTERM (the processors and the Kafka Streams app stop cleanly on it). */
  stop(): void;
  readonly done: Promise<ChildResult>;
}

const TIME = "/usr/bin/time";
export const canMeasureUsage = (): boolean => process.platform === "linux" && existsSync(TIME);

/**
 * Starts a child process, under `/usr/bin/time -v` when `measure` is set (CPU seconds, peak RSS of the child
 * itself). stdout lines go to `onLine`; the last 8 KB of stderr is kept for failure reports.
 */
export function startChild(
  cmd: ChildCommand,
  options: { measure?: boolean; onLine?: (line: string) => void; timeoutMs?: number } = {},
): RunningChild {
  const measure = options.measure === true && canMeasureUsage();
  const dir = measure ? mkdtempSync(join(tmpdir(), "gametel-bench-")) : null;
  const report = dir === null ? null : join(dir, "time.txt");
  const [command, args] =
    report === null ? [cmd.command, [...cmd.args]] : [TIME, ["-v", "-o", report, cmd.command, ...cmd.args]];
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: cmd.cwd,
    env: { ...process.env, ...cmd.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-8192);
  });
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => options.onLine?.(line));
  // Under time(1) the signal must go to the measured process (time's only child): SIGTERM would kill time itself
  // and lose the report, so signal time's children instead.
  const stop = () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    if (report === null) child.kill("SIGTERM");
    else spawn("pkill", ["-TERM", "-P", String(child.pid)], { stdio: "ignore" });
  };
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stderr += `\n[bench] timed out after ${options.timeoutMs} ms; stopping`;
          stop();
          setTimeout(() => child.kill("SIGKILL"), 30_000).unref();
        }, options.timeoutMs);
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      let usage: ProcessUsage | null = null;
      if (report !== null && existsSync(report)) {
        try {
          usage = parseTimeV(readFileSync(report, "utf8"));
        } catch {
          usage = null;
        }
      }
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
      const exitCode = usage === null ? code : usage.signal === null ? usage.exitStatus : null;
      resolve({
        exitCode,
        signal,
        usage,
        wallSeconds: (performance.now() - started) / 1000,
        stderrTail: stderr,
        timedOut,
      });
    });
  });
  return { pid: child.pid, stop, done };
}
