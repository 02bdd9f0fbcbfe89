import { Secret, type KafkaSettings, type SaslMechanism, type SecurityProtocol } from "@gametel/runtime";
import { DEFAULT_CONNECT_TIMEOUT_MS, ExitCode, type AppLogLevel } from "@gametel/ops";
import { Command, InvalidArgumentError, Option } from "commander";
import { parseCopySince } from "./copySince.js";
import {
  DEFAULT_KAFKA_BROKERS,
  RESUME_LOST_POLICIES,
  DEFAULT_MONGODB_URI,
  resolveSourceConfig,
  SOURCE_DEFAULTS,
  SourceConfigError,
  type SourceConfig,
} from "./SourceConfig.js";

export interface CliResult {
  readonly config: SourceConfig;
  readonly logLevel: AppLogLevel;
  /** Port of /metrics, /healthz, /readyz; 0 = no server. */
  readonly metricsPort: number;
  /** How long to wait at start for MongoDB and Kafka to answer. */
  readonly connectTimeoutMs: number;
}

/** Default port of the source's /metrics, /healthz, /readyz (the processors' default is 9464). */
export const DEFAULT_SOURCE_METRICS_PORT = 9465;
const LOG_LEVELS: readonly AppLogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

type Env = Readonly<Record<string, string | undefined>>;

const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
const SASL_MECHANISMS: readonly SaslMechanism[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

const port = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("expected a port from 0 to 65535");
  return n;
};

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
};

interface Options {
  name: string;
  mongoUri?: string;
  db: string;
  collection: string;
  offsetsCollection: string;
  brokers?: string;
  clientId?: string;
  kafkaSecurityProtocol?: string;
  kafkaSaslMechanism?: string;
  kafkaSslCa?: string;
  eventsTopic: string;
  dlqTopic: string;
  partitions: number;
  copyExisting?: boolean;
  copySince?: Date;
  copySinceField: string;
  onResumeLost: "fail" | "recopy";
  mongoPatienceMs: number;
  reset?: boolean;
  batchSize: number;
  checkpointEvery: number;
  checkpointIntervalMs: number;
  idlePollMs: number;
  logIntervalMs: number;
  exitWhenIdle?: string | true;
  maxEvents?: number;
  logLevel: AppLogLevel;
  metricsPort?: number;
  connectTimeoutMs?: number;
}

/**
 * Parses the command line and the environment. The Kafka options and their environment variables are the
 * processors' (@gametel/runtime): `--kafka-security-protocol` [KAFKA_SECURITY_PROTOCOL],
 * `--kafka-sasl-mechanism` [KAFKA_SASL_MECHANISM], `--kafka-ssl-ca` [KAFKA_SSL_CA], credentials only from
 * KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD (never flags: they would show in `ps`). Throws
 * `SourceConfigError` for a bad value or combination; commander itself prints one line and exits on an
 * unknown option or a bad number.
 */
export function parseCli(argv: readonly string[], env: Env): CliResult {
  // `pnpm start -- --flags` passes the separator through; drop it so the flags are parsed.
  const args = argv[2] === "--" ? [...argv.slice(0, 2), ...argv.slice(3)] : [...argv];
  const o = program().parse(args).opts<Options>();
  const exitWhenIdleMs =
    o.exitWhenIdle === undefined ? null : o.exitWhenIdle === true ? 2000 : Number(o.exitWhenIdle);
  const config = resolveSourceConfig(
    {
      name: o.name,
      mongoUri: o.mongoUri ?? env.MONGODB_URI ?? DEFAULT_MONGODB_URI,
      database: o.db,
      collection: o.collection,
      offsetsCollection: o.offsetsCollection,
      kafka: kafkaSettings(o, env),
      eventsTopic: o.eventsTopic,
      deadLetterTopic: o.dlqTopic,
      partitions: o.partitions,
      copyExisting: o.copyExisting === true,
      copySince: o.copySince ?? null,
      copySinceField: o.copySinceField,
      onResumeLost: o.onResumeLost,
      mongoPatienceMs: o.mongoPatienceMs,
      reset: o.reset === true,
      batchSize: o.batchSize,
      checkpointEvery: o.checkpointEvery,
      checkpointIntervalMs: o.checkpointIntervalMs,
      idlePollMs: o.idlePollMs,
      logIntervalMs: o.logIntervalMs,
      exitWhenIdleMs,
      maxEvents: o.maxEvents ?? null,
    },
    env,
  );
  return {
    config,
    logLevel: o.logLevel,
    metricsPort:
      o.metricsPort ?? fromEnv(env, "GAMETEL_SOURCE_METRICS_PORT", port, DEFAULT_SOURCE_METRICS_PORT),
    connectTimeoutMs:
      o.connectTimeoutMs ??
      fromEnv(env, "GAMETEL_CONNECT_TIMEOUT_MS", positiveInt, DEFAULT_CONNECT_TIMEOUT_MS),
  };
}

function fromEnv(env: Env, name: string, parse: (value: string) => number, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  try {
    return parse(raw);
  } catch (error) {
    throw new SourceConfigError(`${name}: ${(error as Error).message}, got "${raw}"`);
  }
}

function program(): Command {
  return new Command()
    .name("gametel-mongo-source")
    .description(
      "Stream documents inserted into a MongoDB collection to Kafka as v1 telemetry events. The resume point " +
        `is saved in the "${SOURCE_DEFAULTS.offsetsCollection}" collection after Kafka acknowledged, so a restart ` +
        "continues where it stopped (nothing lost; duplicates are dropped downstream by event_id).",
    )
    .option("--name <name>", "source name (one offset document per name)", SOURCE_DEFAULTS.name)
    .option("--mongo-uri <uri>", `MongoDB connection string [MONGODB_URI] (default ${DEFAULT_MONGODB_URI})`)
    .option("--db <database>", "database to watch", SOURCE_DEFAULTS.database)
    .option("--collection <name>", "collection to watch", SOURCE_DEFAULTS.collection)
    .option("--offsets-collection <name>", "collection for saved offsets", SOURCE_DEFAULTS.offsetsCollection)
    .option("--brokers <list>", `Kafka bootstrap servers [KAFKA_BROKERS] (default ${DEFAULT_KAFKA_BROKERS})`)
    .option("--client-id <id>", `Kafka client id [KAFKA_CLIENT_ID] (default ${SOURCE_DEFAULTS.clientId})`)
    .option(
      "--kafka-security-protocol <protocol>",
      "PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL [KAFKA_SECURITY_PROTOCOL] (default PLAINTEXT)",
    )
    .option(
      "--kafka-sasl-mechanism <mechanism>",
      "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512 [KAFKA_SASL_MECHANISM] (default PLAIN); credentials from " +
        "KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD",
    )
    .option("--kafka-ssl-ca <file>", "PEM CA file for the brokers' certificates [KAFKA_SSL_CA]")
    .option("--events-topic <topic>", "topic for valid events", SOURCE_DEFAULTS.eventsTopic)
    .option(
      "--dlq-topic <topic>",
      "dead-letter topic for documents that are not valid events",
      SOURCE_DEFAULTS.deadLetterTopic,
    )
    .option(
      "--copy-existing",
      "first copy the documents that already exist (in _id order), then stream changes",
    )
    .option(
      "--copy-since <time>",
      "first copy only the documents whose time field is at or after this ISO 8601 time (e.g. 2026-12-07T23:00:00Z), " +
        "then stream changes: the recovery from a lost resume point, with --reset",
      (value: string) => {
        try {
          return parseCopySince(value);
        } catch (error) {
          throw new InvalidArgumentError((error as Error).message);
        }
      },
    )
    .option(
      "--copy-since-field <field>",
      "the time field --copy-since compares (epoch ms or date; _id = the ObjectId's time)",
      SOURCE_DEFAULTS.copySinceField,
    )
    .addOption(
      new Option(
        "--on-resume-lost <policy>",
        "when the server no longer has the saved resume point (oplog rolled over, server restarted): fail = exit 2 " +
          "with the recovery command; recopy = log it and re-copy the documents since 5 min before the last save",
      )
        .choices(RESUME_LOST_POLICIES)
        .default("fail"),
    )
    .option(
      "--mongo-patience-ms <ms>",
      "while streaming, how long MongoDB may stay unreachable (restart, failover) before the source exits 1; " +
        "meanwhile it reopens the change stream every 1-5 s",
      positiveInt,
      SOURCE_DEFAULTS.mongoPatienceMs,
    )
    .option(
      "--partitions <n>",
      "partitions of the events and dead-letter topics when they have to be created",
      positiveInt,
      SOURCE_DEFAULTS.partitions,
    )
    .option("--reset", "forget the saved offset: stream from now, or re-copy with --copy-existing")
    .option("--batch-size <n>", "documents per produce request", positiveInt, SOURCE_DEFAULTS.batchSize)
    .option(
      "--checkpoint-every <n>",
      "save the offset after this many documents ...",
      positiveInt,
      SOURCE_DEFAULTS.checkpointEvery,
    )
    .option(
      "--checkpoint-interval-ms <ms>",
      "... or after this many ms",
      positiveInt,
      SOURCE_DEFAULTS.checkpointIntervalMs,
    )
    .option(
      "--idle-poll-ms <ms>",
      "wait between polls of an idle change stream",
      positiveInt,
      SOURCE_DEFAULTS.idlePollMs,
    )
    .option(
      "--log-interval-ms <ms>",
      "period of the progress log line",
      positiveInt,
      SOURCE_DEFAULTS.logIntervalMs,
    )
    .option("--exit-when-idle [ms]", "exit after this long without new documents (default 2000 ms)")
    .option("--max-events <n>", "exit after publishing this many documents", positiveInt)
    .option(
      "--metrics-port <port>",
      `port of /metrics, /healthz, /readyz, 0 = none [GAMETEL_SOURCE_METRICS_PORT] (default ${DEFAULT_SOURCE_METRICS_PORT})`,
      port,
    )
    .option(
      "--connect-timeout-ms <ms>",
      `wait this long at start for MongoDB and Kafka, then exit 3 [GAMETEL_CONNECT_TIMEOUT_MS] (default ${DEFAULT_CONNECT_TIMEOUT_MS})`,
      positiveInt,
    )
    .addOption(new Option("--log-level <level>", "log level").choices(LOG_LEVELS).default("info"))
    .configureOutput({
      outputError: (message, write) =>
        write(`gametel-mongo-source: invalid configuration: ${message.replace(/^error: /, "")}`),
    })
    .exitOverride((err) => {
      // --help exits 0; a usage error was already printed by commander on one line.
      process.exit(err.exitCode === 0 ? ExitCode.ok : ExitCode.usage);
    });
}

/** The runtime's KafkaSettings from flags and environment (a flag wins over the environment). */
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
  const username = env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  const hasCredentials = username !== undefined || password !== undefined;
  return {
    brokers: (o.brokers ?? env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS)
      .split(",")
      .map((b) => b.trim())
      .filter((b) => b !== ""),
    clientId: o.clientId ?? env.KAFKA_CLIENT_ID ?? SOURCE_DEFAULTS.clientId,
    securityProtocol,
    sasl: hasCredentials
      ? { mechanism, username: username ?? "", password: new Secret(password ?? "") }
      : null,
    sslCaFile: o.kafkaSslCa ?? env.KAFKA_SSL_CA ?? null,
  };
}

function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  const upper = value.toUpperCase();
  const found = allowed.find((a) => a === upper);
  if (found === undefined)
    throw new SourceConfigError(`${what} must be one of ${allowed.join("|")}, got "${value}"`);
  return found;
}
