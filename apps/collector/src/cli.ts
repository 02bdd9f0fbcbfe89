import { Secret, type KafkaSettings, type SaslMechanism, type SecurityProtocol } from "@gametel/runtime";
import { Command, InvalidArgumentError, Option } from "commander";
import { loadGameKeys } from "./auth/GameKeys.js";
import { COLLECTOR_DEFAULTS, CollectorConfigError, type CollectorConfig } from "./CollectorConfig.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface CliResult {
  readonly config: CollectorConfig;
  readonly trustProxy: boolean;
  readonly drainTimeoutMs: number;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
};
const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("expected a port 0-65535");
  return n;
};

interface Options {
  port?: number;
  host: string;
  brokers?: string;
  clientId?: string;
  kafkaSecurityProtocol?: string;
  kafkaSaslMechanism?: string;
  kafkaSslCa?: string;
  eventsTopic: string;
  dlqTopic: string;
  partitions: number;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  maxEventsPerRequest: number;
  maxEventBytes: number;
  keyRate: number;
  keyBurst: number;
  publicIpRate: number;
  publicIpBurst: number;
  publicSessionRate: number;
  publicSessionBurst: number;
  replayWindowMs: number;
  replayCacheSize: number;
  maxQueuedEvents: number;
  ackTimeoutMs: number;
  retryAfter: number;
  corsOrigins?: string;
  trustProxy?: boolean;
  drainTimeoutMs: number;
  logLevel: string;
}

const D = COLLECTOR_DEFAULTS;

function program(): Command {
  return new Command()
    .name("gametel-collector")
    .description(
      "HTTP ingestion: POST /v1/games/{game_id}/events (JSON array or NDJSON, gzip allowed), authenticated per " +
        "game, validated, written to Kafka; 200 only after Kafka acknowledged every event. Keys come from " +
        "GAMETEL_COLLECTOR_KEYS (JSON) or GAMETEL_COLLECTOR_KEYS_FILE, never from flags.",
    )
    .option("--port <port>", `port to listen on [PORT] (default ${D.port})`, port)
    .option("--host <host>", "address to listen on", D.host)
    .option("--brokers <list>", "Kafka bootstrap servers [KAFKA_BROKERS] (default localhost:9092)")
    .option("--client-id <id>", `Kafka client id [KAFKA_CLIENT_ID] (default ${D.clientId})`)
    .option(
      "--kafka-security-protocol <protocol>",
      "PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL [KAFKA_SECURITY_PROTOCOL] (default PLAINTEXT)",
    )
    .option(
      "--kafka-sasl-mechanism <mechanism>",
      "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512 [KAFKA_SASL_MECHANISM]; credentials from KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD",
    )
    .option("--kafka-ssl-ca <file>", "PEM CA file for the brokers' certificates [KAFKA_SSL_CA]")
    .option("--events-topic <topic>", "topic for valid events", D.eventsTopic)
    .option("--dlq-topic <topic>", "dead-letter topic for invalid events", D.deadLetterTopic)
    .option(
      "--partitions <n>",
      "partitions of the topics when they have to be created",
      positiveInt,
      D.partitions,
    )
    .option("--max-body-bytes <n>", "largest request body as sent (413)", positiveInt, D.limits.maxBodyBytes)
    .option(
      "--max-decompressed-bytes <n>",
      "largest body after gzip inflation (413)",
      positiveInt,
      D.limits.maxDecompressedBytes,
    )
    .option(
      "--max-events-per-request <n>",
      "most events per request (413)",
      positiveInt,
      D.limits.maxEventsPerRequest,
    )
    .option("--max-event-bytes <n>", "largest single event (413)", positiveInt, D.limits.maxEventBytes)
    .option("--key-rate <n>", "events per second per key (429)", positiveInt, D.rateLimits.perKey.ratePerSec)
    .option("--key-burst <n>", "burst per key, events", positiveInt, D.rateLimits.perKey.burst)
    .option(
      "--public-ip-rate <n>",
      "events per second per IP, public keys",
      positiveInt,
      D.rateLimits.publicPerIp.ratePerSec,
    )
    .option("--public-ip-burst <n>", "burst per IP, public keys", positiveInt, D.rateLimits.publicPerIp.burst)
    .option(
      "--public-session-rate <n>",
      "events per second per session_id, public keys",
      positiveInt,
      D.rateLimits.publicPerSession.ratePerSec,
    )
    .option(
      "--public-session-burst <n>",
      "burst per session_id, public keys",
      positiveInt,
      D.rateLimits.publicPerSession.burst,
    )
    .option(
      "--replay-window-ms <ms>",
      "accepted clock difference of signed requests",
      positiveInt,
      D.replayWindowMs,
    )
    .option(
      "--replay-cache-size <n>",
      "signatures remembered against replays",
      positiveInt,
      D.replayCacheSize,
    )
    .option(
      "--max-queued-events <n>",
      "events waiting for Kafka before requests get 503",
      positiveInt,
      D.maxQueuedEvents,
    )
    .option(
      "--ack-timeout-ms <ms>",
      "longest wait for Kafka's acknowledgement before 503",
      positiveInt,
      D.ackTimeoutMs,
    )
    .option("--retry-after <s>", "Retry-After seconds of a 503", positiveInt, D.retryAfterSec)
    .option(
      "--cors-origins <list>",
      "browser origins allowed to post (web games with public keys) [GAMETEL_CORS_ORIGINS]",
    )
    .option(
      "--trust-proxy",
      "take the client address from X-Forwarded-For (only behind a proxy that sets it)",
    )
    .option("--drain-timeout-ms <ms>", "on SIGTERM, longest wait for requests in flight", positiveInt, 30_000)
    .addOption(
      new Option("--log-level <level>", "log level")
        .choices(["debug", "info", "warn", "error"])
        .default("info"),
    )
    .exitOverride((err) => process.exit(err.exitCode));
}

const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
const SASL_MECHANISMS: readonly SaslMechanism[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CollectorConfigError(`${name} must be one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T;
}

const list = (raw: string | undefined) =>
  (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

function kafkaSettings(o: Options, env: Env): KafkaSettings {
  const securityProtocol = oneOf(
    "--kafka-security-protocol",
    o.kafkaSecurityProtocol ?? env.KAFKA_SECURITY_PROTOCOL ?? "PLAINTEXT",
    SECURITY_PROTOCOLS,
  );
  const mechanism = oneOf(
    "--kafka-sasl-mechanism",
    o.kafkaSaslMechanism ?? env.KAFKA_SASL_MECHANISM ?? "PLAIN",
    SASL_MECHANISMS,
  );
  const sasl = securityProtocol.startsWith("SASL_");
  if (sasl && (env.KAFKA_SASL_USERNAME === undefined || env.KAFKA_SASL_PASSWORD === undefined)) {
    throw new CollectorConfigError(`${securityProtocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
  }
  const brokers = list(o.brokers ?? env.KAFKA_BROKERS ?? "localhost:9092");
  if (brokers.length === 0) throw new CollectorConfigError("--brokers: no broker given");
  return {
    brokers,
    clientId: o.clientId ?? env.KAFKA_CLIENT_ID ?? D.clientId,
    securityProtocol,
    sasl: sasl
      ? {
          mechanism,
          username: env.KAFKA_SASL_USERNAME ?? "",
          password: new Secret(env.KAFKA_SASL_PASSWORD ?? ""),
        }
      : null,
    sslCaFile: o.kafkaSslCa ?? env.KAFKA_SSL_CA ?? null,
  };
}

/**
 * Flags and environment to a validated configuration. Throws `CollectorConfigError` (one line) for bad values;
 * commander prints its own line and exits on unknown flags or bad numbers, and exits 0 after `--help`.
 */
export function parseCli(argv: readonly string[], env: Env): CliResult {
  const args = argv[2] === "--" ? [...argv.slice(0, 2), ...argv.slice(3)] : [...argv];
  const o = program().parse(args).opts<Options>();
  const envPort = env.PORT === undefined || env.PORT === "" ? undefined : Number(env.PORT);
  if (envPort !== undefined && (!Number.isSafeInteger(envPort) || envPort < 0 || envPort > 65535)) {
    throw new CollectorConfigError(`PORT must be a port 0-65535, got "${env.PORT}"`);
  }
  if (o.maxEventBytes > o.maxDecompressedBytes) {
    throw new CollectorConfigError("--max-event-bytes cannot exceed --max-decompressed-bytes");
  }
  const corsOrigins = list(o.corsOrigins ?? env.GAMETEL_CORS_ORIGINS);
  for (const origin of corsOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new CollectorConfigError(
        `--cors-origins: "${origin}" is not an origin like https://game.example.com`,
      );
    }
  }
  if (o.eventsTopic === o.dlqTopic)
    throw new CollectorConfigError("--events-topic and --dlq-topic must differ");
  const config: CollectorConfig = {
    port: o.port ?? envPort ?? D.port,
    host: o.host,
    kafka: kafkaSettings(o, env),
    partitions: o.partitions,
    keys: loadGameKeys(env),
    logLevel: o.logLevel,
    eventsTopic: o.eventsTopic,
    deadLetterTopic: o.dlqTopic,
    limits: {
      maxBodyBytes: o.maxBodyBytes,
      maxDecompressedBytes: o.maxDecompressedBytes,
      maxEventsPerRequest: o.maxEventsPerRequest,
      maxEventBytes: o.maxEventBytes,
    },
    rateLimits: {
      perKey: { ratePerSec: o.keyRate, burst: o.keyBurst },
      publicPerIp: { ratePerSec: o.publicIpRate, burst: o.publicIpBurst },
      publicPerSession: { ratePerSec: o.publicSessionRate, burst: o.publicSessionBurst },
    },
    replayWindowMs: o.replayWindowMs,
    replayCacheSize: o.replayCacheSize,
    maxQueuedEvents: o.maxQueuedEvents,
    ackTimeoutMs: o.ackTimeoutMs,
    retryAfterSec: o.retryAfter,
    corsOrigins,
  };
  return { config, trustProxy: o.trustProxy === true, drainTimeoutMs: o.drainTimeoutMs };
}
