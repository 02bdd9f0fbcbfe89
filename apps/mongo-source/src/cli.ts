import { Command, InvalidArgumentError, Option } from "commander";
import {
  DEFAULT_KAFKA_BROKERS,
  DEFAULT_MONGODB_URI,
  resolveSourceConfig,
  SOURCE_DEFAULTS,
  type SourceConfig,
} from "./SourceConfig.js";

export interface CliResult {
  readonly config: SourceConfig;
  readonly logLevel: string;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
};

/**
 * Parses the command line (and `MONGODB_URI`, `KAFKA_BROKERS`, `KAFKA_SASL_*` from the environment).
 * Kafka security options are kept here, small, until @gametel/runtime ships a shared config parser.
 * Throws `SourceConfigError` for a bad combination; commander itself exits on unknown options.
 */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliResult {
  const program = new Command()
    .name("gametel-mongo-source")
    .description(
      "Stream documents inserted into a MongoDB collection to Kafka as v1 telemetry events. The resume point " +
        `is saved in the "${SOURCE_DEFAULTS.offsetsCollection}" collection after Kafka acknowledged, so a restart ` +
        "continues where it stopped (nothing lost; duplicates are dropped downstream by event_id).",
    )
    .option("--name <name>", "source name (one offset document per name)", SOURCE_DEFAULTS.name)
    .option(
      "--mongo-uri <uri>",
      `MongoDB connection string (env MONGODB_URI, default ${DEFAULT_MONGODB_URI})`,
    )
    .option("--db <database>", "database to watch", SOURCE_DEFAULTS.database)
    .option("--collection <name>", "collection to watch", SOURCE_DEFAULTS.collection)
    .option("--offsets-collection <name>", "collection for saved offsets", SOURCE_DEFAULTS.offsetsCollection)
    .option(
      "--brokers <list>",
      `Kafka bootstrap servers (env KAFKA_BROKERS, default ${DEFAULT_KAFKA_BROKERS})`,
    )
    .option("--client-id <id>", "Kafka client id", SOURCE_DEFAULTS.clientId)
    .option("--ssl", "TLS to the brokers (env KAFKA_SSL=true)")
    .addOption(
      new Option(
        "--sasl-mechanism <mechanism>",
        "SASL mechanism; credentials from env KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD",
      ).choices(["plain", "scram-sha-256", "scram-sha-512"]),
    )
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
    .addOption(
      new Option("--log-level <level>", "log level")
        .choices(["debug", "info", "warn", "error"])
        .default("info"),
    )
    .exitOverride((err) => {
      // --help and --version exit 0; usage errors were already printed by commander on one line.
      process.exit(err.exitCode);
    })
    .parse([...argv]);

  const o = program.opts<{
    name: string;
    mongoUri?: string;
    db: string;
    collection: string;
    offsetsCollection: string;
    brokers?: string;
    clientId: string;
    ssl?: boolean;
    saslMechanism?: "plain" | "scram-sha-256" | "scram-sha-512";
    eventsTopic: string;
    dlqTopic: string;
    copyExisting?: boolean;
    reset?: boolean;
    batchSize: number;
    checkpointEvery: number;
    checkpointIntervalMs: number;
    idlePollMs: number;
    logIntervalMs: number;
    exitWhenIdle?: string | true;
    maxEvents?: number;
    logLevel: string;
  }>();

  const brokers = o.brokers ?? env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS;
  const exitWhenIdleMs =
    o.exitWhenIdle === undefined ? null : o.exitWhenIdle === true ? 2000 : Number(o.exitWhenIdle);
  const config = resolveSourceConfig(
    {
      name: o.name,
      mongoUri: o.mongoUri ?? env.MONGODB_URI ?? DEFAULT_MONGODB_URI,
      database: o.db,
      collection: o.collection,
      offsetsCollection: o.offsetsCollection,
      kafka: {
        brokers: brokers
          .split(",")
          .map((b) => b.trim())
          .filter((b) => b !== ""),
        clientId: o.clientId,
        ssl: o.ssl === true || env.KAFKA_SSL === "true",
        ...(o.saslMechanism
          ? {
              sasl: {
                mechanism: o.saslMechanism,
                username: env.KAFKA_SASL_USERNAME ?? "",
                password: env.KAFKA_SASL_PASSWORD ?? "",
              },
            }
          : {}),
      },
      eventsTopic: o.eventsTopic,
      deadLetterTopic: o.dlqTopic,
      copyExisting: o.copyExisting === true,
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
  return { config, logLevel: o.logLevel };
}
