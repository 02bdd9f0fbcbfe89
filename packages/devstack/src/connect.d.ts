import type { ChildProcess } from "node:child_process";

/** The repository's `connect/` folder (the shipped connector configurations). */
export declare const connectDir: string;
/** Where the connector tests cache jars and runs: `.cache/connect`. */
export declare const connectCacheDir: string;
/** The standalone worker's runtime (Kafka Connect and its dependencies), fetched by `ensureConnectRuntime`. */
export declare const connectLibsDir: string;

/** A `.properties` file's entries (comments and blank lines skipped). */
export declare function readProperties(path: string): Record<string, string>;
/** Writes entries as `key=value` lines; refuses values a plain line cannot carry (backslash, line break). */
export declare function writeProperties(path: string, props: Record<string, string>): void;
/** A connector's JSON file as the REST API takes it. */
export declare function readConnectorJson(path: string): { name: string; config: Record<string, string> };

/** Fetches Kafka Connect's runtime from Maven Central into `connectLibsDir`, once (needs mvn). */
export declare function ensureConnectRuntime(): Promise<void>;
/**
 * Fetches a connector plugin's jar from Maven Central into `dir`, unless `jar` is there already.
 *
 * @example
 * await ensureConnectorPlugin("org.mongodb.kafka:mongo-kafka-connect:2.0.1:jar:all", dir, "mongo-kafka-connect-2.0.1-all.jar");
 */
export declare function ensureConnectorPlugin(artifact: string, dir: string, jar: string): Promise<void>;

export interface ConnectWorker {
  readonly child: ChildProcess;
  /** Everything the worker printed so far. */
  log(): string;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/** Starts `ConnectStandalone worker.properties ...files` in `workDir` (needs java). */
export declare function startConnectWorker(options: {
  readonly workDir: string;
  readonly files?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}): ConnectWorker;
