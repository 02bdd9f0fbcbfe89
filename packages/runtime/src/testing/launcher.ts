import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { OPTIONS } from "../config/options.js";

/** How a test starts one processor app's `main` as a child process. */
export interface ProcessorLauncher {
  /** Engine name, for reports ("kafkajs", "rdkafka"). */
  readonly name: string;
  /** Executable, e.g. process.execPath. */
  readonly command: string;
  /** Arguments before the processor flags, e.g. ["--import", "tsx", "src/main.ts"] or ["dist/main.js"]. */
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Where one run of a scenario reads and writes. */
export interface ScenarioTarget {
  readonly brokers: readonly string[];
  readonly mongoUri: string;
  readonly mongoDb: string;
  readonly group: string;
  readonly inputTopic: string;
  readonly dlqTopic: string;
  readonly lateTopic: string;
  readonly outputTopic: string;
  readonly partitions: number;
}

export interface RunningProcessor {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Output lines so far (stdout and stderr, for diagnostics). */
  readonly output: string[];
}

/** Whether the processors' CLI knows a flag (lets scenarios use newer flags when the config has them). */
export const knowsFlag = (flag: string): boolean => OPTIONS.some((o) => o.flags.split(" ")[0] === flag);

export function processorFlags(target: ScenarioTarget, extra: readonly string[] = []): string[] {
  const flags = [
    "--brokers",
    target.brokers.join(","),
    "--mongo-uri",
    target.mongoUri,
    "--mongo-db",
    target.mongoDb,
    "--group",
    target.group,
    "--input-topic",
    target.inputTopic,
    "--dlq-topic",
    target.dlqTopic,
    "--output-topic",
    target.outputTopic,
    "--late",
    "--late-topic",
    target.lateTopic,
    "--partitions",
    String(target.partitions),
    "--metrics-port",
    "0",
    "--log-level",
    "warn",
  ];
  // Shorter sessions so a SIGKILLed member leaves the group in seconds (broker minimum 6 s).
  if (knowsFlag("--session-timeout-ms")) flags.push("--session-timeout-ms", "6000");
  return [...flags, ...extra];
}

export function launch(launcher: ProcessorLauncher, flags: readonly string[]): RunningProcessor {
  const child = spawn(launcher.command, [...launcher.args, ...flags], {
    cwd: launcher.cwd,
    env: { ...process.env, ...launcher.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.length > 0) output.push(line);
    if (output.length > 2_000) output.splice(0, output.length - 2_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { child, exited, output };
}

/** Waits for exit; on timeout kills the process and throws with its last output lines. */
export async function waitForExit(
  run: RunningProcessor,
  timeoutMs: number,
  what: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.child.kill("SIGKILL");
      reject(
        new Error(
          `${what}: no exit within ${timeoutMs} ms; last output:\n${run.output.slice(-30).join("\n")}`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the processor with --exit-when-caught-up and requires exit code 0. */
export async function runToCaughtUp(
  launcher: ProcessorLauncher,
  target: ScenarioTarget,
  timeoutMs: number,
  extra: readonly string[] = [],
): Promise<void> {
  const run = launch(launcher, processorFlags(target, ["--exit-when-caught-up", ...extra]));
  const { code, signal } = await waitForExit(run, timeoutMs, `${launcher.name} --exit-when-caught-up`);
  if (code !== 0) {
    throw new Error(
      `${launcher.name} exited with ${code ?? signal}; last output:\n${run.output.slice(-30).join("\n")}`,
    );
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
