import { describe, expect, it } from "vitest";
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
});
