import { silentLogger, type Logger } from "@gametel/runtime";
import type { Context } from "hono";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { createAuthenticator } from "./auth/Authenticator.js";
import type { GameKeys } from "./auth/GameKeys.js";
import { ReplayCache } from "./auth/ReplayCache.js";
import { IngestHeaders } from "./auth/Signature.js";
import type { CollectorSettings } from "./CollectorConfig.js";
import { CollectorError } from "./CollectorError.js";
import { createIngest } from "./ingest/Ingest.js";
import type { RecordProducer } from "./kafka/KafkaProducer.js";
import { ProduceQueue } from "./kafka/ProduceQueue.js";
import { createCollectorMetrics, type CollectorMetrics } from "./ops/Metrics.js";

export interface CollectorDeps {
  readonly settings: CollectorSettings;
  readonly keys: GameKeys;
  /** Kafka (`createKafkaProducer`); the collector only sends through it and asks whether it is connected. */
  readonly producer: Pick<RecordProducer, "send" | "connected">;
  readonly logger?: Logger;
  /** Default: a fresh registry whose queue gauge reads this collector's queue. */
  readonly metrics?: CollectorMetrics;
  /** Use the first X-Forwarded-For address as the client's (only behind a proxy that sets it). */
  readonly trustProxy?: boolean;
  readonly now?: () => number;
}

export interface Collector {
  /** The HTTP application; serve it with `@hono/node-server` or call `app.request()` in tests. */
  readonly app: Hono;
  readonly metrics: CollectorMetrics;
  /** Requests being processed. */
  inFlight(): number;
  /**
   * Stops taking requests (503 + Retry-After, /readyz 503) and resolves once the requests in flight were answered
   * and their records acknowledged or failed, or after `timeoutMs`.
   */
  drain(timeoutMs: number): Promise<void>;
}

const INGEST_PATH = "/v1/games/:gameId/events";

/** Client address: the socket's (from @hono/node-server's bindings), or X-Forwarded-For behind a trusted proxy. */
function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}

/**
 * The collector: `POST /v1/games/{game_id}/events` (JSON array or NDJSON, gzip allowed), authenticated per game,
 * validated by @gametel/core, written to Kafka and answered 200 only once Kafka acknowledged every record; plus
 * `/metrics`, `/healthz` and `/readyz`.
 */
export function createCollector(deps: CollectorDeps): Collector {
  const { settings, producer } = deps;
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? Date.now;
  let draining = false;
  let inFlight = 0;
  const queue = new ProduceQueue({
    send: (records) => producer.send(records),
    maxQueuedRecords: settings.maxQueuedEvents,
    maxBatchRecords: 10_000,
  });
  const metrics = deps.metrics ?? createCollectorMetrics({ queued: () => queue.queued });
  const auth = createAuthenticator({
    keys: deps.keys,
    replayWindowMs: settings.replayWindowMs,
    replayCache: new ReplayCache(settings.replayCacheSize, now),
    now,
  });
  const ingest = createIngest({ settings, auth, queue, producer, metrics, now, draining: () => draining });

  const app = new Hono();
  if (settings.corsOrigins.length > 0) {
    app.use(
      "/v1/*",
      cors({
        origin: [...settings.corsOrigins],
        allowMethods: ["POST", "OPTIONS"],
        allowHeaders: ["Content-Type", "Content-Encoding", ...Object.values(IngestHeaders)],
        exposeHeaders: ["Retry-After"],
        maxAge: 600,
      }),
    );
  }
  app.post(INGEST_PATH, async (c) => {
    inFlight += 1;
    metrics.requestsInFlight.inc();
    const stop = metrics.requestDuration.startTimer();
    const gameId = c.req.param("gameId");
    try {
      const result = await ingest({
        gameId,
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        header: (name) => c.req.header(name),
        body: c.req.raw.body,
        clientIp: clientIp(c, deps.trustProxy ?? false),
      });
      metrics.requests.inc({ status: "200" });
      return c.json(result, 200);
    } catch (error) {
      if (!(error instanceof CollectorError)) {
        logger.error({ err: error, gameId }, "ingest request failed");
        metrics.requests.inc({ status: "500" });
        return c.json(
          { error: { code: "internal", message: "the request failed; see the collector's log" } },
          500,
        );
      }
      metrics.requests.inc({ status: String(error.status) });
      metrics.refusals.inc({ reason: error.code });
      if (error.status === 503)
        logger.warn({ gameId, code: error.code, reason: error.message }, "request refused");
      if (error.retryAfterSec !== undefined) c.header("Retry-After", String(error.retryAfterSec));
      return c.json(error.body(), error.status);
    } finally {
      inFlight -= 1;
      metrics.requestsInFlight.dec();
      stop();
    }
  });
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", (c) => {
    const ok = !draining && producer.connected();
    return c.json({ ok, kafka: producer.connected(), draining }, ok ? 200 : 503);
  });
  app.get("/metrics", async (c) =>
    c.text(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType }),
  );
  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `no route; events go to POST ${INGEST_PATH}` } }, 404),
  );

  return {
    app,
    metrics,
    inFlight: () => inFlight,
    async drain(timeoutMs) {
      draining = true;
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await Promise.race([
        queue.drain(),
        new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()))),
      ]);
    },
  };
}
