import type { MongoClientOptions } from "mongodb";
import type { DashboardConfig } from "./config.js";

/**
 * The dashboard's MongoDB client options. `serverSelectionTimeoutMS` is the query timeout: while MongoDB is down a
 * read fails after that long (the driver's default is 30 s) and the request gets a 503 (see `guard/Unavailable.ts`).
 */
export function mongoClientOptions(
  config: Pick<DashboardConfig, "readPreference" | "queryTimeoutMs">,
  appName: string,
): MongoClientOptions {
  return {
    readPreference: config.readPreference,
    appName,
    serverSelectionTimeoutMS: config.queryTimeoutMs,
  };
}
