import { setImmediate as yieldToLoop } from "node:timers/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { Generator } from "./Generator.js";
import type { GeneratorSummary } from "./Summary.js";
import { TokenBucket } from "./TokenBucket.js";
import type { Sink } from "./sinks/Sink.js";

export interface RunOptions {
  readonly generator: Generator;
  readonly sink: Sink;
  /** Records per second; 0 = as fast as the sink takes them. */
  readonly rate: number;
  /** Stop simulating after this long (wall clock), ms; what is held back is still written. */
  readonly durationMs?: number;
  /** Write each record no earlier than its event time (wall clock). */
  readonly realtime?: boolean;
  /** Stops the run cleanly: held-back records are written and the sink flushed. */
  readonly signal?: AbortSignal;
  /** Called about every `progressEveryMs` and once at the end. */
  readonly onProgress?: (progress: RunProgress) => void;
  readonly progressEveryMs?: number;
}

export interface RunProgress {
  readonly summary: GeneratorSummary;
  readonly elapsedMs: number;
  /** Game time reached, epoch ms. */
  readonly clock: number;
}

export type StopReason = "done" | "duration" | "signal";

export interface RunResult {
  readonly summary: GeneratorSummary;
  readonly target: string;
  readonly elapsed_ms: number;
  readonly records_per_s: number;
  readonly stopped_by: StopReason;
}

const YIELD_EVERY = 1024;

/** Pulls records from the generator and writes them to the sink, paced by rate and (optionally) event time. */
export const runGenerator = async (options: RunOptions): Promise<RunResult> => {
  const { generator, sink, signal } = options;
  const started = performance.now();
  const bucket = options.rate > 0 ? new TokenBucket(options.rate, started) : undefined;
  const progressEveryMs = options.progressEveryMs ?? 250;
  let stoppedBy: StopReason = "done";
  let draining = false;
  let nextProgress = started + progressEveryMs;
  let sinceYield = 0;
  const progress = (now: number): void =>
    options.onProgress?.({ summary: generator.summary(), elapsedMs: now - started, clock: generator.clock });

  try {
    for (;;) {
      let now = performance.now();
      if (!draining) {
        if (signal?.aborted === true) stoppedBy = "signal";
        else if (options.durationMs !== undefined && now - started >= options.durationMs)
          stoppedBy = "duration";
        if (stoppedBy !== "done") {
          draining = true;
          generator.stop();
        }
      }
      const record = generator.next();
      if (record === undefined) break;
      if (!draining) {
        const bucketReadyAt = now + (bucket?.take(1, now) ?? 0);
        for (;;) {
          now = performance.now();
          const waitMs = Math.max(
            bucketReadyAt - now,
            options.realtime === true ? record.eventTime - Date.now() : 0,
          );
          if (waitMs < 1 || signal?.aborted === true) break;
          await sleep(Math.min(waitMs, progressEveryMs), undefined, { signal }).catch(() => undefined);
          sinceYield = 0;
          if (performance.now() >= nextProgress) {
            progress(performance.now());
            nextProgress = performance.now() + progressEveryMs;
          }
        }
      }
      const backpressure = sink.write(record);
      if (backpressure !== undefined) {
        await backpressure;
        sinceYield = 0;
      } else if (++sinceYield >= YIELD_EVERY) {
        // Let timers and signal handlers run even when nothing else makes us wait.
        await yieldToLoop();
        sinceYield = 0;
      }
      if (now >= nextProgress) {
        progress(now);
        nextProgress = now + progressEveryMs;
      }
    }
  } finally {
    await sink.close();
  }
  const elapsed = performance.now() - started;
  progress(performance.now());
  const summary = generator.summary();
  return {
    summary,
    target: sink.target,
    elapsed_ms: Math.round(elapsed),
    records_per_s: Math.round((summary.total_records / Math.max(elapsed, 1)) * 1000),
    stopped_by: stoppedBy,
  };
};
