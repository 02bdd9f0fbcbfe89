import { MetricNames } from "@gametel/runtime";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import type { MetricFamily } from "parse-prometheus-text-format";
import type {
  DeadLetterCount,
  HealthPoint,
  HealthView,
  LatencyWindow,
  TargetHealth,
} from "../api/ViewTypes.js";
import type { HistogramSnapshot } from "./Histogram.js";
import { difference, histogramOf, observations, quantile, quantileBucket, sum } from "./Histogram.js";

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
  /** The rolling window of events/s and latency quantiles (default one minute). */
  readonly windowMs?: number;
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

type Counters = Omit<TargetHealth, "url" | "up" | "error" | "eventsPerSecond" | "latency">;

/** One scrape of a target, kept for the rolling window. */
interface Scrape {
  readonly time: number;
  readonly consumed: number;
  readonly latency: HistogramSnapshot | null;
}

const latencyWindow = (windowSeconds: number, h: HistogramSnapshot | null): LatencyWindow => ({
  windowSeconds,
  count: h === null ? 0 : observations(h),
  p50: h === null ? null : quantile(0.5, h),
  p99: h === null ? null : quantile(0.99, h),
  p50Bucket: h === null ? null : quantileBucket(0.5, h),
  p99Bucket: h === null ? null : quantileBucket(0.99, h),
});

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
  const windowMs = options.windowMs ?? 60_000;
  // Per target, its scrapes of the last window (oldest first): rates and latency come from the first and last.
  const scrapes = new Map<string, Scrape[]>();
  // Per target, the latency histogram of the window (for the totals, which add them up).
  const windowLatency = new Map<string, HistogramSnapshot | null>();
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
      const now: Scrape = {
        time,
        consumed: c.consumed,
        latency: histogramOf(families.get(MetricNames.endToEndLatency)),
      };
      let kept = (scrapes.get(url) ?? []).filter((s) => s.time >= time - windowMs && s.time < time);
      const base = kept[0];
      let latency = base?.latency && now.latency ? difference(now.latency, base.latency) : null;
      // A counter that went down means the process restarted: its window starts again now.
      if (base !== undefined && (c.consumed < base.consumed || (base.latency !== null && latency === null))) {
        kept = [];
        latency = null;
      }
      scrapes.set(url, [...kept, now]);
      const first = kept[0];
      const eventsPerSecond =
        first === undefined ? null : (c.consumed - first.consumed) / ((time - first.time) / 1000);
      const window = first === undefined ? null : latency;
      windowLatency.set(url, window);
      return {
        url,
        up: true,
        error: null,
        ...c,
        eventsPerSecond,
        latency: first === undefined ? null : latencyWindow((time - first.time) / 1000, window),
      };
    } catch (error) {
      scrapes.delete(url);
      windowLatency.delete(url);
      const message = error instanceof Error ? error.message : String(error);
      return { url, up: false, error: message, ...ZERO, eventsPerSecond: null, latency: null };
    }
  }

  /** The targets' window histograms added up (quantiles do not add; buckets do). */
  const totalLatency = (targets: readonly TargetHealth[]): LatencyWindow | null => {
    const windows = targets.filter((t) => t.latency !== null);
    if (windows.length === 0) return null;
    const histograms = windows
      .map((t) => windowLatency.get(t.url) ?? null)
      .filter((h): h is HistogramSnapshot => h !== null);
    return latencyWindow(Math.max(...windows.map((t) => t.latency!.windowSeconds)), sum(histograms));
  };

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
        latency: totalLatency(targets),
      };
      history.push({
        time,
        eventsPerSecond: totals.eventsPerSecond,
        lag: totals.lag,
        deadLettered: totals.deadLettered,
        late: totals.late,
        latencyP50: totals.latency?.p50 ?? null,
        latencyP99: totals.latency?.p99 ?? null,
      });
      if (history.length > historySize) history.splice(0, history.length - historySize);
      last = { time, targets, totals, history: [...history], deadLetters: options.deadLetters?.() ?? null };
      return last;
    },
    latest: () => last,
  };
}
