#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { ExitCode, createAppLogger, exitOnStartFailure, maskUriPassword, reachMongo } from "@gametel/ops";
import { MongoClient } from "mongodb";
import { parseDashboardArgs } from "./cli.js";
import { createDashboard } from "./createDashboard.js";
import { exposureWarning } from "./exposure.js";
import { readDeadLetters } from "./health/DeadLetterReader.js";
import { mongoClientOptions } from "./mongoClientOptions.js";

const PROGRAM = "gametel-dashboard";
// dist/server/main.js and src/server/main.ts both find the built UI in <app>/dist/web.
// --static-dir / GAMETEL_DASHBOARD_STATIC moves it; empty = no UI (the dev script's API server, behind Vite).
const appDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const parsed = parseDashboardArgs(process.argv.slice(2), process.env, join(appDir, "dist", "web"));
if (parsed.kind === "help") {
  process.stdout.write(parsed.text);
  process.exit(ExitCode.ok);
}
if (parsed.kind === "error") {
  process.stderr.write(`${PROGRAM}: invalid configuration: ${parsed.message}\n`);
  process.exit(ExitCode.usage);
}
const { config } = parsed;
const logger = createAppLogger({ app: PROGRAM, level: config.logLevel });

// Read-only by intent: the dashboard only finds and counts. Give it a user with the `read` role on the results
// database; secondaries are fine to read from.
const clientOptions = mongoClientOptions(config, PROGRAM);
logger.info({ mongo: maskUriPassword(config.mongoUri), db: config.mongoDb, port: config.port }, "starting");
await reachMongo(config.mongoUri, clientOptions, {
  timeoutMs: config.connectTimeoutMs,
  setting: "--mongo-uri / MONGODB_URI",
  logger,
}).catch((error: unknown) => exitOnStartFailure(PROGRAM, error, { logger }));
const client = new MongoClient(config.mongoUri, clientOptions);
await client.connect();
// The pipeline page counts distinct dead letters from the dead-letter topics (read in the background; a broker that
// is down or a topic not created yet shows as an error on the page, the rest of the dashboard works).
let deadLetterError: string | null = null;
const deadLetters =
  config.dlqTopics.length === 0
    ? undefined
    : readDeadLetters({
        brokers: config.kafkaBrokers,
        connection: config.kafkaConnection,
        topics: config.dlqTopics,
        clientId: PROGRAM,
        onError: (_err, reason) => {
          if (reason !== deadLetterError)
            logger.warn({ topics: config.dlqTopics, reason }, "cannot read dead letters");
          deadLetterError = reason;
        },
      });
const dashboard = createDashboard({
  db: client.db(config.mongoDb),
  config,
  logger,
  ...(deadLetters === undefined ? {} : { deadLetters }),
});
const server = serve({ fetch: dashboard.app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info(
    {
      url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${info.port}`,
      host: config.host,
      port: info.port,
      mongo: maskUriPassword(config.mongoUri),
      db: config.mongoDb,
      metrics: config.metricsUrls,
      apiKey: config.apiKeys.length > 0,
      cors: config.corsOrigins,
    },
    "dashboard listening",
  );
  const warning = exposureWarning(config.host, config.apiKeys.length);
  if (warning !== null) logger.warn({ host: config.host }, warning);
});
server.on("error", (error: unknown) => exitOnStartFailure(PROGRAM, error, { logger }));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  dashboard.close();
  // Live streams stay open until closed: end them so the server can stop.
  if ("closeAllConnections" in server) server.closeAllConnections();
  server.close(
    () =>
      void Promise.all([client.close(), deadLetters?.close()]).then(() => {
        logger.info({}, "dashboard stopped");
        // Everything is closed: exit even if a proxy's keep-alive socket still holds the event loop open.
        process.exit(ExitCode.ok);
      }),
  );
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
