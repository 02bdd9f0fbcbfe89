import { describe, expect, it } from "vitest";
import type { Logger } from "./Logger.js";
import { MetricNames } from "./MetricNames.js";
import { createMetrics } from "./Metrics.js";
import { startOpsServer } from "./OpsServer.js";

describe("startOpsServer", () => {
  it("serves /metrics in Prometheus text, /healthz and /readyz from the callbacks", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.recordsConsumed.inc({ topic: "telemetry.events" }, 7);
    metrics.consumerLag.set({ topic: "telemetry.events", partition: "3" }, 42);
    let ready = false;
    const server = await startOpsServer({
      port: 0,
      host: "127.0.0.1",
      registry: metrics.registry,
      ready: () => ready,
    });
    try {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toContain(`${MetricNames.recordsConsumed}{topic="telemetry.events"} 7`);
      expect(text).toContain(`${MetricNames.consumerLag}{topic="telemetry.events",partition="3"} 42`);
      expect(text).toContain(`# TYPE ${MetricNames.batchDuration} histogram`);
      expect(text).toContain(`# TYPE ${MetricNames.endToEndLatency} histogram`);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      ready = true;
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("logs the address it is bound to, every interface by default", async () => {
    const logged: Record<string, unknown>[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: (fields, message) => logged.push({ ...fields, message }),
      warn: () => undefined,
      error: () => undefined,
    };
    const metrics = createMetrics({ defaultMetrics: false });
    const server = await startOpsServer({ port: 0, registry: metrics.registry, ready: () => true, logger });
    try {
      const port = Number(new URL(server.url).port);
      expect(logged).toEqual([
        { url: `http://0.0.0.0:${port}`, address: "0.0.0.0", port, message: "ops server listening" },
      ]);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
