import { timingSafeEqual, createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { Db } from "mongodb";
import { apiRoutes } from "./api/routes.js";
import { DEFAULT_DASHBOARD_COLLECTIONS } from "./Collections.js";
import type { DashboardCollections } from "./Collections.js";
import { ViewParamError, createViews } from "./api/Views.js";
import type { View } from "./api/Views.js";
import type { DashboardConfig } from "./config.js";
import { createPipelineHealth } from "./health/PipelineHealth.js";
import type { PipelineHealth } from "./health/PipelineHealth.js";
import { LiveHub, LiveHubFullError } from "./live/LiveHub.js";
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
  >;
  readonly collections?: Partial<DashboardCollections>;
  readonly logger?: DashboardLogger;
  /** Overrides the Prometheus scraper (tests). */
  readonly health?: PipelineHealth;
}

export interface Dashboard {
  /** The HTTP application (fetch handler); serve it with `@hono/node-server` or call `app.request()` in tests. */
  readonly app: Hono;
  readonly views: ReadonlyMap<string, View>;
  readonly hub: LiveHub;
  /** Stops the live polling (the caller closes the HTTP server and the MongoDB client). */
  close(): void;
}

const silent: DashboardLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const digest = (text: string) => createHash("sha256").update(text).digest();

/** API-key check for the feed: header (Power BI `Headers`), or query parameter (Power BI `ApiKeyName`). */
function apiKeyGuard(keys: readonly string[], header: string, param: string): MiddlewareHandler {
  const digests = keys.map(digest);
  return async (c, next) => {
    if (digests.length === 0) return next();
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    const given = c.req.header(header) ?? bearer ?? new URL(c.req.url).searchParams.get(param);
    if (given === undefined || given === null || given === "") {
      throw new ODataError(
        401,
        "Unauthorized",
        `an API key is required: send it in the ${header} header or the ${param} query parameter`,
      );
    }
    if (!digests.some((d) => timingSafeEqual(d, digest(given)))) {
      throw new ODataError(
        401,
        "Unauthorized",
        "this API key is not valid for this feed: check it against GAMETEL_ODATA_API_KEYS of the dashboard",
      );
    }
    return next();
  };
}

function errorResponse(c: Context, error: unknown, logger: DashboardLogger): Response {
  const path = new URL(c.req.url).pathname;
  if (error instanceof ODataError) {
    return c.json(error.body(), error.status, {
      ...ODATA_HEADERS,
      ...(error.status === 401 ? { "WWW-Authenticate": 'ApiKey realm="gametel"' } : {}),
    });
  }
  if (error instanceof ViewParamError)
    return c.json({ error: { code: "BadRequest", message: error.message } }, 400);
  if (error instanceof LiveHubFullError)
    return c.json({ error: { code: "Busy", message: error.message } }, 503);
  logger.error({ err: error, path }, "request failed");
  const body = { error: { code: "InternalError", message: "the request failed; see the dashboard's log" } };
  return path.startsWith("/odata") ? c.json(body, 500, ODATA_HEADERS) : c.json(body, 500);
}

/**
 * The dashboard: web UI (static files from `config.staticDir`), its API with live updates (`/api`), the OData v4
 * feed (`/odata`) and CSV downloads (`/export`). GET only; every other method is refused.
 */
export function createDashboard(deps: DashboardDeps): Dashboard {
  const { db, config } = deps;
  const logger = deps.logger ?? silent;
  const collections: DashboardCollections = { ...DEFAULT_DASHBOARD_COLLECTIONS, ...deps.collections };
  const reader = createResultsReader(db, collections);
  const health = deps.health ?? createPipelineHealth({ urls: config.metricsUrls });
  const views = createViews(reader, health);
  // Processor metrics are scraped on the live poll's clock whether or not anyone watches, so the health page opens
  // with a history (a few small HTTP requests to the processors; nothing when no URL is configured).
  const sampler =
    config.metricsUrls.length > 0 || deps.health !== undefined
      ? setInterval(() => void health.sample().catch(() => undefined), config.livePollMs)
      : undefined;
  sampler?.unref();
  const hub = new LiveHub({
    pollMs: config.livePollMs,
    onError: (view, err) => logger.warn({ err, view }, "live view read failed"),
  });

  // Not strict: /odata and /odata/ are the same service root (clients differ in how they write it).
  const app = new Hono({ strict: false });
  app.onError((error, c) => errorResponse(c, error, logger));
  app.use("*", secureHeaders({ crossOriginResourcePolicy: false }));
  // Read-only: no route takes a body or changes anything.
  app.on(["POST", "PUT", "PATCH", "DELETE"], "*", (c) => {
    c.header("Allow", "GET, HEAD");
    if (new URL(c.req.url).pathname.startsWith("/odata")) {
      throw new ODataError(405, "MethodNotAllowed", "this OData service is read-only");
    }
    return c.json({ error: { code: "MethodNotAllowed", message: "the dashboard is read-only" } }, 405);
  });

  const feed = odataRoutes({
    db,
    collections,
    pageSize: config.pageSize,
    apiKeyParam: config.apiKeyParam,
    publicUrl: config.publicUrl,
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
  app.route("/api", apiRoutes(views, hub));
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
