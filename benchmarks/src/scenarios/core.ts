import { createRequire } from "node:module";
import { dirname } from "node:path";
import { decodeEvent, partitionKey, playerStatsReducer } from "@gametel/core";
import { parseCoreBench, type CoreBenchLine } from "../internal/coreBench.js";
import { startChild } from "../run/child.js";
import { generateValues, type DatasetOptions } from "../run/dataset.js";
import type { Progress } from "../run/progress.js";

export interface CoreResult {
  /** `@gametel/core`'s own bench (packages/core/bench/core.bench.ts), one line per measurement. */
  readonly coreBench: readonly CoreBenchLine[];
  /** decode (bytes → validated event) + PlayerStats reduce per player key, on the generator's events. */
  readonly pipeline: {
    readonly events: number;
    readonly decodePerCore: number;
    readonly reducePerCore: number;
    readonly decodeReducePerCore: number;
  };
}

const require = createRequire(import.meta.url);

/** Events per CPU second (user + system of this process) of `body` over the pool, for about `seconds`. */
function perCpuSecond(pool: number, seconds: number, body: (i: number) => void): number {
  for (let i = 0; i < pool; i++) body(i);
  let ops = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < pool; i++) body(i);
    ops += pool;
  }
  const used = process.cpuUsage(cpu);
  return ops / ((used.user + used.system) / 1e6);
}

export async function runCore(
  data: Omit<DatasetOptions, "events" | "partitions">,
  seconds: number,
  progress: Progress,
): Promise<CoreResult> {
  progress.line(`core: @gametel/core's own bench (--seconds ${seconds})`);
  const coreDir = dirname(require.resolve("@gametel/core/package.json"));
  let stdout = "";
  const child = startChild(
    {
      command: process.execPath,
      args: ["--import", "tsx", "bench/core.bench.ts", "--seconds", String(seconds)],
      cwd: coreDir,
    },
    { onLine: (line) => (stdout += `${line}\n`) },
  );
  const result = await child.done;
  if (result.exitCode !== 0) throw new Error(`core bench failed: ${result.stderrTail}`);
  const coreBench = parseCoreBench(stdout);

  progress.line("core: decode + reduce on generated events, in process");
  const events = 20_000;
  const bytes = [...generateValues({ ...data, events })].map((r) => new TextEncoder().encode(r.json));
  const decoded = bytes.map((b) => {
    const r = decodeEvent(b);
    if (!r.ok) throw new Error(`generated event rejected: ${r.error.path} ${r.error.reason}`);
    return r.event;
  });
  const keys = decoded.map((e) => partitionKey(e));
  let sink = 0;
  const decodePerCore = perCpuSecond(events, seconds, (i) => {
    const r = decodeEvent(bytes[i]!);
    if (r.ok) sink += r.event.event_time & 1;
  });
  let states = new Map<string, ReturnType<typeof playerStatsReducer.init>>();
  const reduce = (key: string, e: (typeof decoded)[number]) => {
    states.set(key, playerStatsReducer.reduce(states.get(key) ?? playerStatsReducer.init(), e));
  };
  const reducePerCore = perCpuSecond(events, seconds, (i) => {
    if (i === 0) states = new Map();
    reduce(keys[i]!, decoded[i]!);
  });
  const decodeReducePerCore = perCpuSecond(events, seconds, (i) => {
    if (i === 0) states = new Map();
    const r = decodeEvent(bytes[i]!);
    if (r.ok) reduce(partitionKey(r.event), r.event);
  });
  if (sink < 0) progress.line("unreachable");
  return { coreBench, pipeline: { events, decodePerCore, reducePerCore, decodeReducePerCore } };
}
