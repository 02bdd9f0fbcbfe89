#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { maskUriPassword } from "@gametel/runtime";
import { MongoClient } from "mongodb";
import { pino } from "pino";
import { createDashboard } from "./createDashboard.js";
import { DashboardConfigError, loadConfig } from "./config.js";

// dist/server/main.js and src/server/main.ts both find the built UI in <app>/dist/web.
// GAMETEL_DASHBOARD_STATIC moves it; empty = no UI (the dev script's API server, behind Vite).
const appDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const staticEnv = process.env.GAMETEL_DASHBOARD_STATIC;
const staticDir = staticEnv === undefined ? join(appDir, "dist", "web") : staticEnv === "" ? null : staticEnv;
let config;
try {
  config = loadConfig(process.env, staticDir);
} catch (error) {
  if (!(error instanceof DashboardConfigError)) throw error;
  console.error(`gametel-dashboard: ${error.message}`);
  process.exit(2);
}
const logger = pino({
  level: process.env.GAMETEL_LOG_LEVEL ?? "info",
  base: { app: "gametel-dashboard" },
  timestamp: pino.stdTimeFunctions.isoTime,
});

// Read-only by intent: the dashboard only finds and counts. Give it a user with the `read` role on the results
// database; secondaries are fine to read from.
const client = new MongoClient(config.mongoUri, {
  readPreference: config.readPreference,
  appName: "gametel-dashboard",
});
await client.connect();
const dashboard = createDashboard({ db: client.db(config.mongoDb), config, logger });
const server = serve({ fetch: dashboard.app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info(
    {
      url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${info.port}`,
      mongo: maskUriPassword(config.mongoUri),
      db: config.mongoDb,
      metrics: config.metricsUrls,
      apiKey: config.apiKeys.length > 0,
      cors: config.corsOrigins,
    },
    "dashboard listening",
  );
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  dashboard.close();
  // Live streams stay open until closed: end them so the server can stop.
  if ("closeAllConnections" in server) server.closeAllConnections();
  server.close(() => void client.close().then(() => logger.info({}, "dashboard stopped")));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
