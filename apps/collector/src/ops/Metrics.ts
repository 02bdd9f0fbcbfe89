import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { MetricHelp, MetricNames } from "./MetricNames.js";

export interface CollectorMetrics {
  readonly registry: Registry;
  readonly requests: Counter<"status">;
  readonly refusals: Counter<"reason">;
  readonly eventsAccepted: Counter;
  readonly eventsRejected: Counter;
  readonly requestDuration: Histogram;
  readonly kafkaAckDuration: Histogram;
  readonly queuedEvents: Gauge;
  readonly requestsInFlight: Gauge;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The collector's metrics on a fresh registry (tests never collide), with Node's default metrics. */
export function createCollectorMetrics(
  options: { readonly defaultMetrics?: boolean; readonly queued?: () => number } = {},
): CollectorMetrics {
  const queued = options.queued;
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const meta = (key: keyof typeof MetricNames) => ({
    name: MetricNames[key],
    help: MetricHelp[key],
    registers,
  });
  return {
    registry,
    requests: new Counter({ ...meta("requests"), labelNames: ["status"] }),
    refusals: new Counter({ ...meta("refusals"), labelNames: ["reason"] }),
    eventsAccepted: new Counter(meta("eventsAccepted")),
    eventsRejected: new Counter(meta("eventsRejected")),
    requestDuration: new Histogram({ ...meta("requestDuration"), buckets: SECONDS }),
    kafkaAckDuration: new Histogram({ ...meta("kafkaAckDuration"), buckets: SECONDS }),
    queuedEvents: new Gauge({
      ...meta("queuedEvents"),
      collect() {
        if (queued !== undefined) this.set(queued());
      },
    }),
    requestsInFlight: new Gauge(meta("requestsInFlight")),
  };
}
