import { existsSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context } from "hono";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { cors } from "hono/cors";
import { timeout } from "hono/timeout";
import { secureHeaders } from "hono/secure-headers";
import type { Db } from "mongodb";
import { apiRoutes } from "./api/routes.js";
import { DEFAULT_DASHBOARD_COLLECTIONS } from "./Collections.js";
import type { DashboardCollections } from "./Collections.js";
import { ViewParamError, createViews } from "./api/Views.js";
import type { View } from "./api/Views.js";
import type { DashboardConfig } from "./config.js";
import { apiKeyGuard } from "./guard/ApiKeyGuard.js";
import { clientId } from "./guard/ClientId.js";
import { ExportSlots } from "./guard/ExportSlots.js";
import { DEFAULT_LIMITS, type DashboardLimits } from "./guard/Limits.js";
import { withQueryTimeLimit } from "./guard/QueryTimeLimit.js";
import { rateLimit } from "./guard/RateLimit.js";
import { queryTimeout, unavailable } from "./guard/Unavailable.js";
import { createPipelineHealth } from "./health/PipelineHealth.js";
import type { PipelineHealth } from "./health/PipelineHealth.js";
import type { DeadLetterSource } from "./health/DeadLetterReader.js";
import { LiveClientLimitError, LiveHub, LiveHubFullError } from "./live/LiveHub.js";
import { ODataError } from "./odata/ODataError.js";
import { ODATA_HEADERS, odataRoutes } from "./odata/routes.js";
import { createResultsReader } from "./results/ResultsReader.js";

/** What the dashboard logs through (pino-compatible call shape: fields first). */
export interface DashboardLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface DashboardDeps {
  /** A connected database holding the processors' results (use a read-only user). */
  readonly db: Db;
  readonly config: Pick<
    DashboardConfig,
    | "metricsUrls"
    | "apiKeys"
    | "apiKeyHeader"
    | "apiKeyParam"
    | "corsOrigins"
    | "pageSize"
    | "livePollMs"
    | "publicUrl"
    | "staticDir"
  > &
    Partial<DashboardLimits>;
  readonly collections?: Partial<DashboardCollections>;
  readonly logger?: DashboardLogger;
  /** Overrides the Prometheus scraper (tests). */
  readonly health?: PipelineHealth;
  /** Dead letters read from the dead-letter topics, for the pipeline page's distinct count (the caller closes it). */
  readonly deadLetters?: DeadLetterSource;
}

export interface Dashboard {
  /** The HTTP application (fetch handler); serve it with `@hono/node-server` or call `app.request()` in tests. */
  readonly app: Hono;
  readonly views: ReadonlyMap<string, View>;
  readonly hub: LiveHub;
  /** Stops the live polling (the caller closes the HTTP server and the MongoDB client). */
  close(): void;
}

/** The limits set in the config (undefined ones fall back to the defaults). */
function definedOnly(config: Partial<DashboardLimits>): Partial<DashboardLimits> {
  return Object.fromEntries(
    Object.entries(config).filter(([name, value]) => name in DEFAULT_LIMITS && value !== undefined),
  );
}

const silent: DashboardLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The request deadline of /odata and /api/views: MongoDB's own maxTimeMS answers first when it is honoured. */
class RequestDeadline extends HTTPException {}

function errorResponse(
  c: Context,
  error: unknown,
  logger: DashboardLogger,
  queryTimeoutMs: number,
): Response {
  const path = new URL(c.req.url).pathname;
  const refusal =
    error instanceof RequestDeadline
      ? queryTimeout(queryTimeoutMs)
      : error instanceof LiveClientLimitError
        ? new ODataError(429, "TooManyLiveStreams", error.message).retryAfter(30)
        : error instanceof LiveHubFullError
          ? new ODataError(503, "Busy", error.message).retryAfter(30)
          : unavailable(error, queryTimeoutMs);
  if (refusal !== null && refusal.status === 503 && !(error instanceof LiveHubFullError)) {
    logger.warn({ path, reason: error instanceof Error ? error.message : String(error) }, refusal.message);
  }
  const answer = refusal ?? error;
  if (answer instanceof ODataError) {
    return c.json(answer.body(), answer.status, {
      ...ODATA_HEADERS,
      ...(answer.status === 401 ? { "WWW-Authenticate": 'ApiKey realm="gametel"' } : {}),
      ...(answer.retryAfterSeconds === undefined ? {} : { "Retry-After": String(answer.retryAfterSeconds) }),
    });
  }
  if (error instanceof ViewParamError)
    return c.json({ error: { code: "BadRequest", message: error.message } }, 400);
  logger.error({ err: error, path }, "request failed");
  const body = { error: { code: "InternalError", message: "the request failed; see the dashboard's log" } };
  return path.startsWith("/odata") ? c.json(body, 500, ODATA_HEADERS) : c.json(body, 500);
}

/**
 * The dashboard: web UI (static files from `config.staticDir`), its API with live updates (`/api`), the OData v4
 * feed (`/odata`) and CSV downloads (`/export`). GET only; every other method is refused.
 */
export function createDashboard(deps: DashboardDeps): Dashboard {
  const { config } = deps;
  const limits: DashboardLimits = { ...DEFAULT_LIMITS, ...definedOnly(config) };
  // Every read carries maxTimeMS: MongoDB stops a read that runs too long (error 50, answered as a 503).
  const db = withQueryTimeLimit(deps.db, limits.queryTimeoutMs);
  const logger = deps.logger ?? silent;
  const clientOf = (c: Context) => clientId(c, limits.trustProxy);
  const collections: DashboardCollections = { ...DEFAULT_DASHBOARD_COLLECTIONS, ...deps.collections };
  const reader = createResultsReader(db, collections);
  const deadLetters = deps.deadLetters;
  const health =
    deps.health ??
    createPipelineHealth({
      urls: config.metricsUrls,
      ...(deadLetters === undefined ? {} : { deadLetters: () => deadLetters.snapshot() }),
    });
  const views = createViews(reader, health);
  // Processor metrics are scraped on the live poll's clock whether or not anyone watches, so the health page opens
  // with a history (a few small HTTP requests to the processors; nothing when no URL is configured).
  const sampler =
    config.metricsUrls.length > 0 || deps.health !== undefined || deadLetters !== undefined
      ? setInterval(() => void health.sample().catch(() => undefined), config.livePollMs)
      : undefined;
  sampler?.unref();
  const hub = new LiveHub({
    pollMs: config.livePollMs,
    maxViews: limits.liveMaxViews,
    maxStreamsPerClient: limits.liveStreamsPerClient,
    onError: (view, err) => logger.warn({ err, view }, "live view read failed"),
    onShed: (client, view) =>
      logger.warn({ client, view }, "live stream shed to make room for another client"),
  });

  // Not strict: /odata and /odata/ are the same service root (clients differ in how they write it).
  const app = new Hono({ strict: false });
  app.onError((error, c) => errorResponse(c, error, logger, limits.queryTimeoutMs));
  app.use("*", secureHeaders({ crossOriginResourcePolicy: false }));
  app.use("*", rateLimit(limits.rateLimit, limits.rateLimitWindowMs, clientOf));
  // Read-only: no route takes a body or changes anything.
  app.on(["POST", "PUT", "PATCH", "DELETE"], "*", (c) => {
    c.header("Allow", "GET, HEAD");
    if (new URL(c.req.url).pathname.startsWith("/odata")) {
      throw new ODataError(405, "MethodNotAllowed", "this OData service is read-only");
    }
    return c.json({ error: { code: "MethodNotAllowed", message: "the dashboard is read-only" } }, 405);
  });
  // A request that outlives its reads' maxTimeMS by a second is ended here: the local MongoDB stand-in ignores
  // maxTimeMS, and a read stuck on the network must not hold the client either.
  const deadline = timeout(limits.queryTimeoutMs + 1_000, () => new RequestDeadline(503));
  for (const path of ["/odata", "/odata/*", "/api/views/*"]) app.use(path, deadline);

  const feed = odataRoutes({
    db,
    collections,
    pageSize: config.pageSize,
    apiKeyParam: config.apiKeyParam,
    publicUrl: config.publicUrl,
    exportSlots: new ExportSlots(limits.maxExports),
    exportTimeoutMs: limits.exportTimeoutMs,
  });
  for (const prefix of ["/odata", "/export"]) {
    if (config.corsOrigins.length > 0) {
      app.use(
        `${prefix}/*`,
        cors({
          origin: [...config.corsOrigins],
          allowMethods: ["GET", "HEAD", "OPTIONS"],
          allowHeaders: [config.apiKeyHeader, "Authorization", "Prefer", "OData-Version", "OData-MaxVersion"],
          exposeHeaders: ["OData-Version", "Preference-Applied"],
        }),
      );
    }
    app.use(`${prefix}/*`, apiKeyGuard(config.apiKeys, config.apiKeyHeader, config.apiKeyParam));
    app.use(prefix, apiKeyGuard(config.apiKeys, config.apiKeyHeader, config.apiKeyParam));
  }
  app.route("/odata", feed.odata);
  app.route("/export", feed.exports);
  app.route("/api", apiRoutes(views, hub, clientOf));
  app.get("/healthz", (c) => c.text("ok"));

  if (config.staticDir !== null && existsSync(join(config.staticDir, "index.html"))) {
    const root = config.staticDir;
    app.use("/assets/*", serveStatic({ root }));
    app.use("/favicon.svg", serveStatic({ root }));
    // A single-page app with hash routes: every other page is index.html.
    app.get("*", serveStatic({ root, path: "index.html" }));
  } else {
    app.get("/", (c) =>
      c.text(
        "gametel dashboard: the web UI is not built (pnpm --filter @gametel/dashboard build); /odata and /api work.",
      ),
    );
  }

  return {
    app,
    views,
    hub,
    close: () => {
      clearInterval(sampler);
      hub.close();
    },
  };
}
