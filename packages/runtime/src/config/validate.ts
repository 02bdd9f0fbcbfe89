import { accessSync, constants } from "node:fs";
import {
  LOG_LEVELS,
  SASL_MECHANISMS,
  SECURITY_PROTOCOLS,
  type KafkaSettings,
  type LogLevel,
  type MongoSettings,
  type ProcessorConfig,
  type SaslMechanism,
  type SecurityProtocol,
} from "./ProcessorConfig.js";
import { heartbeatIntervalMs } from "./group.js";
import { OPTIONS, SECRET_ENV, type OptionKey } from "./options.js";
import { Secret, mongoUriSecret } from "./Secret.js";

/** A raw option value and where it came from (for error messages). */
export interface RawValue {
  readonly value: string | boolean;
  /** "--batch-size", "GAMETEL_BATCH_SIZE" or "default". */
  readonly source: string;
}

export type RawOptions = Partial<Record<OptionKey, RawValue>>;

/** Invalid configuration; `message` is one line meant for the operator. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const flagOf = (key: OptionKey): string => OPTIONS.find((o) => o.key === key)!.flags.split(" ")[0]!;
const origin = (key: OptionKey, raw: RawValue): string =>
  raw.source === flagOf(key) ? raw.source : `${flagOf(key)} (from ${raw.source})`;

function text(raw: RawOptions, key: OptionKey): string | null {
  const r = raw[key];
  if (r === undefined) return null;
  if (typeof r.value !== "string") throw new ConfigError(`${origin(key, r)} takes a value`);
  const value = r.value.trim();
  if (value === "") throw new ConfigError(`${origin(key, r)} must not be empty`);
  return value;
}

function required(raw: RawOptions, key: OptionKey): string {
  const value = text(raw, key);
  if (value === null) {
    const spec = OPTIONS.find((o) => o.key === key)!;
    throw new ConfigError(`${flagOf(key)} is required (or set ${spec.env})`);
  }
  return value;
}

function integer(raw: RawOptions, key: OptionKey, min: number, max: number): number {
  const value = required(raw, key);
  const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `${origin(key, raw[key]!)} must be an integer from ${min} to ${max}, got "${value}"`,
    );
  }
  return n;
}

/** An ISO 8601 date-time with its zone (or a date, taken as UTC midnight), as epoch ms. */
function instant(raw: RawOptions, key: OptionKey): number {
  const value = required(raw, key);
  const ms = /^\d{4}-\d{2}-\d{2}($|T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$)/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ConfigError(
      `${origin(key, raw[key]!)} must be an ISO 8601 UTC date or date-time such as 2000-01-01T00:00:00Z, got "${value}"`,
    );
  }
  return ms;
}

function flag(raw: RawOptions, key: OptionKey): boolean {
  const r = raw[key];
  if (r === undefined) return false;
  if (typeof r.value === "boolean") return r.value;
  const value = r.value.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(value)) return true;
  if (["false", "0", "no", "off", ""].includes(value)) return false;
  throw new ConfigError(`${origin(key, r)} must be true or false, got "${r.value}"`);
}

function oneOf<T extends string>(
  raw: RawOptions,
  key: OptionKey,
  allowed: readonly T[],
  normalize: (s: string) => string,
): T | null {
  const value = text(raw, key);
  if (value === null) return null;
  const normalized = normalize(value);
  const found = allowed.find((a) => a === normalized);
  if (found === undefined)
    throw new ConfigError(`${origin(key, raw[key]!)} must be one of ${allowed.join(", ")}, got "${value}"`);
  return found;
}

function readableFile(raw: RawOptions, key: OptionKey): string | null {
  const path = text(raw, key);
  if (path === null) return null;
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new ConfigError(`${origin(key, raw[key]!)} names a file that cannot be read: ${path}`);
  }
  return path;
}

const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
function topic(raw: RawOptions, key: OptionKey): string {
  const name = required(raw, key);
  if (!TOPIC.test(name) || name === "." || name === "..") {
    throw new ConfigError(`${origin(key, raw[key]!)} is not a valid Kafka topic name: "${name}"`);
  }
  return name;
}

function brokers(raw: RawOptions): string[] {
  const list = required(raw, "brokers")
    .split(",")
    .map((b) => b.trim())
    .filter((b) => b !== "");
  for (const broker of list) {
    const match = /^(.+):(\d{1,5})$/.exec(broker);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) {
      throw new ConfigError(
        `${origin("brokers", raw.brokers!)} must list host:port entries, got "${broker}"`,
      );
    }
  }
  if (list.length === 0) throw new ConfigError(`${origin("brokers", raw.brokers!)} lists no broker`);
  return list;
}

function kafka(raw: RawOptions, env: Readonly<Record<string, string | undefined>>): KafkaSettings {
  const securityProtocol =
    oneOf<SecurityProtocol>(raw, "kafkaSecurityProtocol", SECURITY_PROTOCOLS, (s) => s.toUpperCase()) ??
    "PLAINTEXT";
  const isSasl = securityProtocol === "SASL_SSL" || securityProtocol === "SASL_PLAINTEXT";
  const isSsl = securityProtocol === "SSL" || securityProtocol === "SASL_SSL";
  const mechanism = oneOf<SaslMechanism>(raw, "kafkaSaslMechanism", SASL_MECHANISMS, (s) => s.toUpperCase());
  const username = env[SECRET_ENV.saslUsername] ?? "";
  const password = env[SECRET_ENV.saslPassword] ?? "";
  if (!isSasl) {
    if (mechanism !== null) {
      throw new ConfigError(
        `--kafka-sasl-mechanism needs --kafka-security-protocol SASL_SSL or SASL_PLAINTEXT, not ${securityProtocol}`,
      );
    }
    if (username !== "" || password !== "") {
      throw new ConfigError(
        `${SECRET_ENV.saslUsername}/${SECRET_ENV.saslPassword} are set but --kafka-security-protocol is ${securityProtocol}; use SASL_SSL or SASL_PLAINTEXT`,
      );
    }
  } else if (username === "" || password === "") {
    throw new ConfigError(
      `${SECRET_ENV.saslUsername} and ${SECRET_ENV.saslPassword} must be set for --kafka-security-protocol ${securityProtocol}`,
    );
  }
  const sslCaFile = readableFile(raw, "kafkaSslCa");
  if (sslCaFile !== null && !isSsl) {
    throw new ConfigError(
      `--kafka-ssl-ca needs --kafka-security-protocol SSL or SASL_SSL, not ${securityProtocol}`,
    );
  }
  return {
    brokers: brokers(raw),
    clientId: required(raw, "clientId"),
    securityProtocol,
    sasl: isSasl ? { mechanism: mechanism ?? "PLAIN", username, password: new Secret(password) } : null,
    sslCaFile,
  };
}

function mongo(raw: RawOptions): MongoSettings {
  const uri = required(raw, "mongoUri");
  if (!/^mongodb(\+srv)?:\/\/\S+$/.test(uri)) {
    throw new ConfigError(
      `${origin("mongoUri", raw.mongoUri!)} must start with mongodb:// or mongodb+srv://`,
    );
  }
  const db = required(raw, "mongoDb");
  if (!/^[^/\\. "$*<>:|?]{1,63}$/.test(db))
    throw new ConfigError(`${origin("mongoDb", raw.mongoDb!)} is not a valid database name: "${db}"`);
  const tlsCaFile = readableFile(raw, "mongoTlsCaFile");
  return { uri: mongoUriSecret(uri), db, tls: flag(raw, "mongoTls") || tlsCaFile !== null, tlsCaFile };
}

/** Validates raw values (flags over environment over defaults) into a ProcessorConfig; throws ConfigError. */
export function buildConfig(
  raw: RawOptions,
  env: Readonly<Record<string, string | undefined>>,
): ProcessorConfig {
  const late = flag(raw, "late");
  const topics = {
    input: topic(raw, "inputTopic"),
    dlq: topic(raw, "dlqTopic"),
    late: late ? topic(raw, "lateTopic") : null,
    output: topic(raw, "outputTopic"),
    partitions: integer(raw, "partitions", 1, 10_000),
  };
  const names = [topics.input, topics.dlq, topics.output, ...(topics.late === null ? [] : [topics.late])];
  if (new Set(names).size !== names.length) {
    throw new ConfigError(`input, dead-letter, late and output topics must differ, got ${names.join(", ")}`);
  }
  // Brokers accept 6 s to 30 min by default (group.min/max.session.timeout.ms).
  const sessionTimeoutMs = integer(raw, "sessionTimeoutMs", 6_000, 1_800_000);
  const maxWaitMs = integer(raw, "maxWaitMs", 1, 60_000);
  // kafkajs heartbeats between fetches, so a fetch may not wait longer than the heartbeat interval.
  if (maxWaitMs >= heartbeatIntervalMs(sessionTimeoutMs)) {
    throw new ConfigError(
      `${origin("maxWaitMs", raw.maxWaitMs!)} (${maxWaitMs}) must be less than the heartbeat interval, a third of --session-timeout-ms (${heartbeatIntervalMs(sessionTimeoutMs)})`,
    );
  }
  return {
    kafka: kafka(raw, env),
    mongo: mongo(raw),
    group: required(raw, "group"),
    sessionTimeoutMs,
    brokerPatienceMs: integer(raw, "brokerPatienceMs", 1_000, 86_400_000),
    topics,
    batchSize: integer(raw, "batchSize", 1, 1_000_000),
    maxWaitMs,
    cacheSize: integer(raw, "cacheSize", 1, 100_000_000),
    commitIntervalMs: integer(raw, "commitIntervalMs", 0, 3_600_000),
    commitMaxRecords: integer(raw, "commitMaxRecords", 1, 10_000_000),
    commitMaxBytes: integer(raw, "commitMaxBytes", 1024, 4 * 1024 * 1024 * 1024),
    windowSizeMs: integer(raw, "windowMs", 1, 31 * 24 * 3600 * 1000),
    graceMs: integer(raw, "graceMs", 0, 31 * 24 * 3600 * 1000),
    maxEventBytes: integer(raw, "maxEventBytes", 64, 64 * 1024 * 1024),
    maxFutureMs: integer(raw, "maxFutureMs", 1, 366 * 24 * 3600 * 1000),
    minEventTimeMs: instant(raw, "minEventTime"),
    deadLetterMaxBytes: integer(raw, "deadLetterMaxBytes", 4096, 64 * 1024 * 1024),
    metricsPort: integer(raw, "metricsPort", 0, 65535),
    connectTimeoutMs: integer(raw, "connectTimeoutMs", 100, 600_000),
    exitWhenCaughtUp: flag(raw, "exitWhenCaughtUp"),
    logLevel: oneOf<LogLevel>(raw, "logLevel", LOG_LEVELS, (s) => s.toLowerCase()) ?? "info",
  };
}
