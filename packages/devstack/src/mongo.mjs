// The MongoDB endpoint: mongo-java-server (H2 MVStore on disk, oplog on) through a one-file Java launcher.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { packageDir, processMarker, servicePaths } from "./config.mjs";
import { spawnDetached } from "./processes.mjs";

export const LAUNCHER = join(packageDir, "java", "GametelMongoServer.java");

/**
 * @param {import("./config.mjs").StackConfig} config
 * @param {import("./java.mjs").Java} java
 * @param {string} libDir
 */
export function startMongo(config, java, libDir) {
  const p = servicePaths(config, "mongo");
  mkdirSync(p.dataDir, { recursive: true });
  return spawnDetached(
    java.command,
    [
      processMarker(config, "mongo"),
      "-Xms128m",
      "-Xmx3g",
      "-Djava.awt.headless=true",
      // Warnings and errors, plus the lines that say where the data is and that the server started.
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
      "-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.MongoServer=info",
      "-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.backend.h2.H2Backend=info",
      "-Dorg.slf4j.simpleLogger.showDateTime=true",
      "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
      "-cp",
      join(libDir, "*"),
      LAUNCHER,
      "127.0.0.1",
      String(config.mongoPort),
      p.dataFile,
      String(config.mongoOplogMinutes),
    ],
    { logFile: p.logFile, pidFile: p.pidFile, cwd: p.dir, env: config.env },
  );
}

/**
 * Whether the deployment answers a ping through the official driver.
 * @param {string} uri
 * @param {number} timeoutMs
 * @returns {Promise<true | string>} true, or why not
 */
export async function mongoAnswers(uri, timeoutMs) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.db("admin").command({ ping: 1 });
    return true;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.close().catch(() => undefined);
  }
}
