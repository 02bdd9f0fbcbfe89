import { MetricNames } from "@gametel/runtime";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import type { MetricFamily } from "parse-prometheus-text-format";
import type { DeadLetterCount, HealthPoint, HealthView, TargetHealth } from "../api/ViewTypes.js";

/** Reads the processors' Prometheus endpoints and keeps a short history for the pipeline-health page. */
export interface PipelineHealth {
  /** Scrapes every target now; each call adds one point to the history. */
  sample(): Promise<HealthView>;
  /** The last sample, or null before the first. */
  latest(): HealthView | null;
}

export interface PipelineHealthOptions {
  readonly urls: readonly string[];
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly timeoutMs?: number;
  /** Points kept (default 180: six minutes at one sample every two seconds). */
  readonly historySize?: number;
  /** Distinct dead letters, read from the dead-letter topics (`DeadLetterReader`); none = null in the view. */
  readonly deadLetters?: () => DeadLetterCount;
}

const value = (raw: string | undefined): number => {
  const n = Number(raw);
  return Number.isFinite(n) ? n : 0;
};

/** Sum of a counter or gauge over all its label sets (0 when absent). */
function total(families: ReadonlyMap<string, MetricFamily>, name: string): number {
  const family = families.get(name) ?? families.get(name.replace(/_total$/, ""));
  return (family?.metrics ?? []).reduce((sum, m) => sum + value(m.value), 0);
}

/** Mean of a histogram (sum / count over all label sets), null when it has no observation. */
function mean(families: ReadonlyMap<string, MetricFamily>, name: string): number | null {
  const metrics = families.get(name)?.metrics ?? [];
  const count = metrics.reduce((s, m) => s + value(m.count), 0);
  return count === 0 ? null : metrics.reduce((s, m) => s + value(m.sum), 0) / count;
}

type Counters = Omit<TargetHealth, "url" | "up" | "error" | "eventsPerSecond" | "meanLatencySeconds">;

function counters(families: ReadonlyMap<string, MetricFamily>): Counters {
  return {
    consumed: total(families, MetricNames.recordsConsumed),
    valid: total(families, MetricNames.recordsValid),
    deadLettered: total(families, MetricNames.recordsDeadLettered),
    duplicates: total(families, MetricNames.recordsDuplicate),
    late: total(families, MetricNames.recordsLate),
    skippedApplied: total(families, MetricNames.recordsSkippedApplied),
    lag: total(families, MetricNames.consumerLag),
    assignedPartitions: total(families, MetricNames.assignedPartitions),
    storeRetries: total(families, MetricNames.storeRetries),
    misPartitioned: total(families, MetricNames.recordsMisPartitioned),
    eventTimeOutOfRange: total(families, MetricNames.recordsEventTimeOutOfRange),
    deadLettersTruncated: total(families, MetricNames.deadLettersTruncated),
  };
}

const ZERO: Counters = {
  consumed: 0,
  valid: 0,
  deadLettered: 0,
  duplicates: 0,
  late: 0,
  skippedApplied: 0,
  lag: 0,
  assignedPartitions: 0,
  storeRetries: 0,
  misPartitioned: 0,
  eventTimeOutOfRange: 0,
  deadLettersTruncated: 0,
};

export function createPipelineHealth(options: PipelineHealthOptions): PipelineHealth {
  const fetchText = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const historySize = options.historySize ?? 180;
  const previous = new Map<string, { time: number; consumed: number }>();
  const history: HealthPoint[] = [];
  let last: HealthView | null = null;

  async function scrape(url: string, time: number): Promise<TargetHealth> {
    try {
      const response = await fetchText(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const families = new Map(
        parsePrometheusTextFormat(await response.text()).map((f) => [f.name, f] as const),
      );
      const c = counters(families);
      const before = previous.get(url);
      previous.set(url, { time, consumed: c.consumed });
      // A counter that went down means the process restarted: count from zero.
      const eventsPerSecond =
        before === undefined || time <= before.time
          ? null
          : (c.consumed >= before.consumed ? c.consumed - before.consumed : c.consumed) /
            ((time - before.time) / 1000);
      return {
        url,
        up: true,
        error: null,
        ...c,
        eventsPerSecond,
        meanLatencySeconds: mean(families, MetricNames.endToEndLatency),
      };
    } catch (error) {
      previous.delete(url);
      const message = error instanceof Error ? error.message : String(error);
      return { url, up: false, error: message, ...ZERO, eventsPerSecond: null, meanLatencySeconds: null };
    }
  }

  return {
    async sample() {
      const time = now();
      const targets = await Promise.all(options.urls.map((url) => scrape(url, time)));
      const sum = (pick: (t: TargetHealth) => number) => targets.reduce((s, t) => s + pick(t), 0);
      const rates = targets.map((t) => t.eventsPerSecond).filter((r): r is number => r !== null);
      const totals = {
        up: targets.filter((t) => t.up).length,
        consumed: sum((t) => t.consumed),
        valid: sum((t) => t.valid),
        deadLettered: sum((t) => t.deadLettered),
        duplicates: sum((t) => t.duplicates),
        late: sum((t) => t.late),
        skippedApplied: sum((t) => t.skippedApplied),
        lag: sum((t) => t.lag),
        assignedPartitions: sum((t) => t.assignedPartitions),
        storeRetries: sum((t) => t.storeRetries),
        misPartitioned: sum((t) => t.misPartitioned),
        eventTimeOutOfRange: sum((t) => t.eventTimeOutOfRange),
        deadLettersTruncated: sum((t) => t.deadLettersTruncated),
        eventsPerSecond: rates.length === 0 ? null : rates.reduce((a, b) => a + b, 0),
      };
      history.push({
        time,
        eventsPerSecond: totals.eventsPerSecond,
        lag: totals.lag,
        deadLettered: totals.deadLettered,
        late: totals.late,
      });
      if (history.length > historySize) history.splice(0, history.length - historySize);
      last = { time, targets, totals, history: [...history], deadLetters: options.deadLetters?.() ?? null };
      return last;
    },
    latest: () => last,
  };
}
