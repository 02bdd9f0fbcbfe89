import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  KafkaSecurityError,
  kafkajsSecurity,
  type AppLogLevel,
} from "@gametel/ops";
import type { KafkaConfig } from "kafkajs";
import type { ReadPreferenceMode } from "mongodb";
import { exposureRefusal } from "./exposure.js";
import { DEFAULT_LIMITS, type DashboardLimits } from "./guard/Limits.js";

/** Everything the dashboard reads from its environment. */
export interface DashboardConfig extends DashboardLimits {
  readonly port: number;
  readonly host: string;
  readonly mongoUri: string;
  readonly mongoDb: string;
  /** Dashboards can read from secondaries; the default spares the primary. */
  readonly readPreference: ReadPreferenceMode;
  /** Prometheus endpoints of the processors (`/metrics`), for the pipeline-health page. */
  readonly metricsUrls: readonly string[];
  /** Kafka bootstrap servers, to read the dead-letter topics. */
  readonly kafkaBrokers: readonly string[];
  /** TLS and SASL of the brokers (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SSL_CA, KAFKA_SASL_USERNAME,
   * KAFKA_SASL_PASSWORD); holds the password, never logged. */
  readonly kafkaConnection: Pick<KafkaConfig, "ssl" | "sasl">;
  /** Dead-letter topics counted on the pipeline page (distinct dead letters); empty = not read. */
  readonly dlqTopics: readonly string[];
  /** Keys that open the OData feed and CSV downloads; empty = no key needed. */
  readonly apiKeys: readonly string[];
  /** Header and query parameter that carry the key (Power BI: Headers or ApiKeyName). */
  readonly apiKeyHeader: string;
  readonly apiKeyParam: string;
  /** Origins allowed to call the feed from a browser; empty = CORS off. */
  readonly corsOrigins: readonly string[];
  /** Rows per page of the feed when the client does not ask (Prefer: odata.maxpagesize) for fewer. */
  readonly pageSize: number;
  /** How often live views are re-read from MongoDB. */
  readonly livePollMs: number;
  /** Public base URL of the dashboard behind a proxy (for OData context and next links); null = from the request. */
  readonly publicUrl: string | null;
  /** Built web UI (dist/web); null = API and feed only. */
  readonly staticDir: string | null;
  readonly logLevel: AppLogLevel;
  /** How long to wait at start for MongoDB to answer before exiting with one line (exit code 3). */
  readonly connectTimeoutMs: number;
  /** Serve the feed without API keys beyond localhost (otherwise that configuration is refused at start). */
  readonly insecureOpen: boolean;
}

export class DashboardConfigError extends Error {
  override readonly name = "DashboardConfigError";
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly AppLogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

const READ_PREFERENCES: readonly ReadPreferenceMode[] = [
  "primary",
  "primaryPreferred",
  "secondary",
  "secondaryPreferred",
  "nearest",
] as ReadPreferenceMode[];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new DashboardConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? "").toLowerCase();
  if (raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new DashboardConfigError(`${name} must be 1, true, 0 or false, got "${env[name]}"`);
}

const list = (raw: string | undefined) =>
  (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * Reads the configuration from the environment, refusing bad values at once with one clear message:
 * PORT (3000), HOST (127.0.0.1), GAMETEL_INSECURE_OPEN (off), MONGODB_URI (mongodb://localhost:$GAMETEL_MONGO_PORT, the local stack's, 27017),
 * GAMETEL_MONGO_DB (gametel), GAMETEL_MONGO_READ_PREFERENCE (secondaryPreferred),
 * GAMETEL_METRICS_URLS (http://localhost:$GAMETEL_METRICS_PORT/metrics, 9464), GAMETEL_LOG_LEVEL (info),
 * KAFKA_BROKERS (localhost:$GAMETEL_KAFKA_PORT, 9092) with KAFKA_SECURITY_PROTOCOL (PLAINTEXT), KAFKA_SASL_MECHANISM,
 * KAFKA_SSL_CA, KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD as the processors take them, GAMETEL_DLQ_TOPICS (telemetry.dlq; empty = none),
 * GAMETEL_CONNECT_TIMEOUT_MS (10000),
 * GAMETEL_ODATA_API_KEYS (none), GAMETEL_ODATA_API_KEY_HEADER (x-api-key), GAMETEL_ODATA_API_KEY_PARAM (api_key),
 * GAMETEL_CORS_ORIGINS (none), GAMETEL_ODATA_PAGE_SIZE (1000), GAMETEL_LIVE_POLL_MS (2000), GAMETEL_PUBLIC_URL (none),
 * and the limits (`DEFAULT_LIMITS`): GAMETEL_QUERY_TIMEOUT_MS, GAMETEL_EXPORT_TIMEOUT_MS, GAMETEL_RATE_LIMIT,
 * GAMETEL_RATE_LIMIT_WINDOW_MS, GAMETEL_LIVE_STREAMS_PER_CLIENT, GAMETEL_LIVE_MAX_VIEWS, GAMETEL_MAX_EXPORTS,
 * GAMETEL_TRUST_PROXY.
 */
export function loadConfig(env: Env, staticDir: string | null): DashboardConfig {
  const readPreference = (env.GAMETEL_MONGO_READ_PREFERENCE ?? "secondaryPreferred") as ReadPreferenceMode;
  if (!READ_PREFERENCES.includes(readPreference)) {
    throw new DashboardConfigError(
      `GAMETEL_MONGO_READ_PREFERENCE must be one of ${READ_PREFERENCES.join(", ")}, got "${readPreference}"`,
    );
  }
  const metricsUrls =
    env.GAMETEL_METRICS_URLS === undefined
      ? [`http://localhost:${integer(env, "GAMETEL_METRICS_PORT", 9464, 1, 65535)}/metrics`]
      : list(env.GAMETEL_METRICS_URLS);
  const logLevel = (env.GAMETEL_LOG_LEVEL ?? "info").toLowerCase() as AppLogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new DashboardConfigError(
      `GAMETEL_LOG_LEVEL must be one of ${LOG_LEVELS.join("|")}, got "${logLevel}"`,
    );
  }
  for (const url of metricsUrls) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new DashboardConfigError(`GAMETEL_METRICS_URLS: "${url}" is not an http(s) URL`);
    }
  }
  const apiKeys = list(env.GAMETEL_ODATA_API_KEYS ?? env.GAMETEL_ODATA_API_KEY);
  if (apiKeys.some((k) => k.length < 16)) {
    throw new DashboardConfigError("GAMETEL_ODATA_API_KEYS: each key must have at least 16 characters");
  }
  const apiKeyParam = env.GAMETEL_ODATA_API_KEY_PARAM ?? "api_key";
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(apiKeyParam)) {
    throw new DashboardConfigError("GAMETEL_ODATA_API_KEY_PARAM must be a plain name (no $ or @)");
  }
  const corsOrigins = list(env.GAMETEL_CORS_ORIGINS);
  for (const origin of corsOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new DashboardConfigError(
        `GAMETEL_CORS_ORIGINS: "${origin}" is not an origin like https://example.com`,
      );
    }
  }
  const publicUrl = env.GAMETEL_PUBLIC_URL?.replace(/\/+$/, "") || null;
  if (publicUrl !== null && (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol))) {
    throw new DashboardConfigError(`GAMETEL_PUBLIC_URL: "${publicUrl}" is not an http(s) URL`);
  }
  const host = env.HOST || "127.0.0.1";
  const insecureOpen = flag(env, "GAMETEL_INSECURE_OPEN");
  const refusal = exposureRefusal(host, apiKeys.length, insecureOpen);
  if (refusal !== null) throw new DashboardConfigError(refusal);
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host,
    insecureOpen,
    mongoUri: env.MONGODB_URI ?? `mongodb://localhost:${integer(env, "GAMETEL_MONGO_PORT", 27017, 1, 65535)}`,
    mongoDb: env.GAMETEL_MONGO_DB ?? "gametel",
    readPreference,
    metricsUrls,
    kafkaBrokers:
      env.KAFKA_BROKERS === undefined || env.KAFKA_BROKERS === ""
        ? [`localhost:${integer(env, "GAMETEL_KAFKA_PORT", 9092, 1, 65535)}`]
        : list(env.KAFKA_BROKERS),
    kafkaConnection: kafkaConnection(env),
    dlqTopics: env.GAMETEL_DLQ_TOPICS === undefined ? ["telemetry.dlq"] : list(env.GAMETEL_DLQ_TOPICS),
    apiKeys,
    apiKeyHeader: (env.GAMETEL_ODATA_API_KEY_HEADER ?? "x-api-key").toLowerCase(),
    apiKeyParam,
    corsOrigins,
    pageSize: integer(env, "GAMETEL_ODATA_PAGE_SIZE", 1000, 1, 100_000),
    livePollMs: integer(env, "GAMETEL_LIVE_POLL_MS", 2000, 100, 600_000),
    publicUrl,
    staticDir,
    logLevel,
    connectTimeoutMs: integer(env, "GAMETEL_CONNECT_TIMEOUT_MS", DEFAULT_CONNECT_TIMEOUT_MS, 100, 600_000),
    ...loadLimits(env),
  };
}

function kafkaConnection(env: Env): Pick<KafkaConfig, "ssl" | "sasl"> {
  try {
    return kafkajsSecurity({}, env);
  } catch (error) {
    if (error instanceof KafkaSecurityError) throw new DashboardConfigError(error.message);
    throw error;
  }
}

function loadLimits(env: Env): DashboardLimits {
  const d = DEFAULT_LIMITS;
  return {
    queryTimeoutMs: integer(env, "GAMETEL_QUERY_TIMEOUT_MS", d.queryTimeoutMs, 100, 600_000),
    exportTimeoutMs: integer(env, "GAMETEL_EXPORT_TIMEOUT_MS", d.exportTimeoutMs, 1_000, 86_400_000),
    rateLimit: integer(env, "GAMETEL_RATE_LIMIT", d.rateLimit, 0, 1_000_000),
    rateLimitWindowMs: integer(env, "GAMETEL_RATE_LIMIT_WINDOW_MS", d.rateLimitWindowMs, 1_000, 3_600_000),
    liveStreamsPerClient: integer(env, "GAMETEL_LIVE_STREAMS_PER_CLIENT", d.liveStreamsPerClient, 1, 10_000),
    liveMaxViews: integer(env, "GAMETEL_LIVE_MAX_VIEWS", d.liveMaxViews, 1, 100_000),
    maxExports: integer(env, "GAMETEL_MAX_EXPORTS", d.maxExports, 1, 1_000),
    trustProxy: flag(env, "GAMETEL_TRUST_PROXY"),
  };
}
