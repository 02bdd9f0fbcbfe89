import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMetrics, metricTotal } from "../ops/Metrics.js";
import type { Logger } from "../ops/Logger.js";
import { BrokerOutage, describeCause, type BrokerUnreachableError } from "./BrokerOutage.js";

function recordingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const at =
    (level: string) =>
    (_fields: object, msg: string): void => {
      lines.push({ level, msg });
    };
  const logger = {
    trace: at("trace"),
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    fatal: at("fatal"),
  };
  return { logger: logger as unknown as Logger, lines };
}

describe("BrokerOutage", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("waits with rate-limited warn lines and a rising gauge, and counts the reconnect", async () => {
    const { logger, lines } = recordingLogger();
    const metrics = createMetrics({ defaultMetrics: false });
    const exhausted: Error[] = [];
    const outage = new BrokerOutage({
      patienceMs: 60_000,
      logger,
      metrics: { unreachable: metrics.brokerUnreachable, reconnects: metrics.brokerReconnects },
      onExhausted: (e) => exhausted.push(e),
    });
    expect(outage.unreachable(new Error("connect ECONNREFUSED 127.0.0.1:9092"))).toBe(true);
    await vi.advanceTimersByTimeAsync(25_000);
    expect(await metricTotal(metrics.brokerUnreachable)).toBe(25);
    expect(lines.filter((l) => l.level === "warn").map((l) => l.msg)).toEqual([
      "Kafka unreachable for 0 s; waiting up to 60 s (--broker-patience-ms)",
      "Kafka unreachable for 10 s; waiting up to 60 s (--broker-patience-ms)",
      "Kafka unreachable for 20 s; waiting up to 60 s (--broker-patience-ms)",
    ]);
    outage.reachable();
    expect(await metricTotal(metrics.brokerUnreachable)).toBe(0);
    expect(await metricTotal(metrics.brokerReconnects)).toBe(1);
    expect(lines.at(-1)).toEqual({ level: "info", msg: "Kafka answers again after 25.0 s" });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(exhausted).toEqual([]);
  });

  it("gives up once, by its timer, when the patience is spent, with the exit line", async () => {
    const { logger } = recordingLogger();
    const exhausted: BrokerUnreachableError[] = [];
    const outage = new BrokerOutage({ patienceMs: 5_000, logger, onExhausted: (e) => exhausted.push(e) });
    outage.unreachable(new Error("outer", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9092") }));
    await vi.advanceTimersByTimeAsync(4_000);
    expect(exhausted).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]!.message).toBe(
      "Kafka unreachable for 5 s, the whole --broker-patience-ms (5000 ms): giving up; offsets were committed only for applied results, so the next start resumes exactly (last error: Error: outer <- Error: connect ECONNREFUSED 127.0.0.1:9092)",
    );
    expect(outage.unreachable(new Error("again"))).toBe(false);
    outage.reachable();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(exhausted).toHaveLength(1);
    expect(outage.exhausted).toBe(true);
  });

  it("describes an error with its causes on one line", () => {
    expect(describeCause(new TypeError("a\nstack", { cause: "b" }))).toBe("TypeError: a <- b");
  });
});
