import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { MetricHelp, MetricNames } from "./MetricNames.js";

/** The runtime's Prometheus metrics on one registry (a fresh one per instance, so tests never collide). */
export interface RuntimeMetrics {
  readonly registry: Registry;
  readonly recordsConsumed: Counter<"topic">;
  readonly recordsValid: Counter<"topic">;
  readonly recordsDeadLettered: Counter<"topic" | "reason">;
  readonly recordsDuplicate: Counter<"topic">;
  readonly recordsLate: Counter<"topic">;
  readonly recordsSkippedApplied: Counter<"topic">;
  readonly batchDuration: Histogram<"topic">;
  readonly batchSize: Histogram<"topic">;
  readonly storeWriteDuration: Histogram<"collection">;
  readonly storeRetries: Counter<"collection">;
  readonly storeWrites: Counter<"collection">;
  readonly storeDocumentsWritten: Counter<"collection">;
  readonly storeBytesWritten: Counter<"collection">;
  readonly cacheHits: Counter;
  readonly cacheMisses: Counter;
  readonly cacheEntries: Gauge;
  readonly commits: Counter<"reason">;
  readonly consumerLag: Gauge<"topic" | "partition">;
  readonly endToEndLatency: Histogram;
  readonly assignedPartitions: Gauge;
  readonly keyPartitionMismatch: Counter;
  readonly recordsMisPartitioned: Counter<"topic">;
  readonly recordsEventTimeOutOfRange: Counter<"topic">;
  readonly deadLettersTruncated: Counter<"topic">;
  readonly brokerUnreachable: Gauge;
  readonly brokerReconnects: Counter;
}

export interface MetricsOptions {
  /** Registry to register on; a new one by default. */
  readonly registry?: Registry;
  /** Also collect the process/Node.js default metrics (CPU, memory, event loop lag). Default true. */
  readonly defaultMetrics?: boolean;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];
const BATCH_SIZE_BUCKETS = [1, 10, 100, 500, 1000, 2500, 5000, 10000, 50000];

export function createMetrics(options: MetricsOptions = {}): RuntimeMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string>(key: keyof typeof MetricNames, labelNames: readonly L[]) =>
    new Counter<L>({ name: MetricNames[key], help: MetricHelp[key], labelNames, registers });
  const histogram = <L extends string>(
    key: keyof typeof MetricNames,
    labelNames: readonly L[],
    buckets: number[],
  ) => new Histogram<L>({ name: MetricNames[key], help: MetricHelp[key], labelNames, buckets, registers });
  const gauge = <L extends string>(key: keyof typeof MetricNames, labelNames: readonly L[]) =>
    new Gauge<L>({ name: MetricNames[key], help: MetricHelp[key], labelNames, registers });
  return {
    registry,
    recordsConsumed: counter("recordsConsumed", ["topic"]),
    recordsValid: counter("recordsValid", ["topic"]),
    recordsDeadLettered: counter("recordsDeadLettered", ["topic", "reason"]),
    recordsDuplicate: counter("recordsDuplicate", ["topic"]),
    recordsLate: counter("recordsLate", ["topic"]),
    recordsSkippedApplied: counter("recordsSkippedApplied", ["topic"]),
    batchDuration: histogram("batchDuration", ["topic"], LATENCY_BUCKETS),
    batchSize: histogram("batchSize", ["topic"], BATCH_SIZE_BUCKETS),
    storeWriteDuration: histogram("storeWriteDuration", ["collection"], LATENCY_BUCKETS),
    storeRetries: counter("storeRetries", ["collection"]),
    storeWrites: counter("storeWrites", ["collection"]),
    storeDocumentsWritten: counter("storeDocumentsWritten", ["collection"]),
    storeBytesWritten: counter("storeBytesWritten", ["collection"]),
    cacheHits: counter("cacheHits", []),
    cacheMisses: counter("cacheMisses", []),
    cacheEntries: gauge("cacheEntries", []),
    commits: counter("commits", ["reason"]),
    consumerLag: gauge("consumerLag", ["topic", "partition"]),
    endToEndLatency: histogram("endToEndLatency", [], LATENCY_BUCKETS),
    assignedPartitions: gauge("assignedPartitions", []),
    keyPartitionMismatch: counter("keyPartitionMismatch", []),
    recordsMisPartitioned: counter("recordsMisPartitioned", ["topic"]),
    recordsEventTimeOutOfRange: counter("recordsEventTimeOutOfRange", ["topic"]),
    deadLettersTruncated: counter("deadLettersTruncated", ["topic"]),
    brokerUnreachable: gauge("brokerUnreachable", []),
    brokerReconnects: counter("brokerReconnects", []),
  };
}

/** Current value of a counter/gauge summed over its label sets (for summaries and tests). */
export async function metricTotal(metric: Counter<string> | Gauge<string>): Promise<number> {
  const { values } = await metric.get();
  return values.reduce((sum, v) => sum + v.value, 0);
}
