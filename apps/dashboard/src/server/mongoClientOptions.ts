import type { MongoClientOptions } from "mongodb";
import type { DashboardConfig } from "./config.js";

/**
 * The dashboard's MongoDB client options. `serverSelectionTimeoutMS` is the query timeout: while MongoDB is down a
 * read fails after that long (the driver's default is 30 s) and the request gets a 503 (see `guard/Unavailable.ts`).
 * `socketTimeoutMS` (the driver's default is none) closes a connection on which no answer came for longer than the
 * longest read may run (the export's `maxTimeMS`) plus a margin: a MongoDB that hangs without closing its sockets
 * cannot hold the dashboard's connections forever.
 */
export function mongoClientOptions(
  config: Pick<DashboardConfig, "readPreference" | "queryTimeoutMs"> &
    Partial<Pick<DashboardConfig, "exportTimeoutMs">>,
  appName: string,
): MongoClientOptions {
  const longestRead = Math.max(config.queryTimeoutMs, config.exportTimeoutMs ?? 0);
  return {
    readPreference: config.readPreference,
    appName,
    serverSelectionTimeoutMS: config.queryTimeoutMs,
    socketTimeoutMS: longestRead + 10_000,
  };
}
