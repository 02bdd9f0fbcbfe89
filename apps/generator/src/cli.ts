import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  ExitCode,
  KAFKA_SECURITY_HELP,
  KafkaSecurityError,
  kafkajsSecurity,
  type AppLogLevel,
} from "@gametel/ops";
import { Command, InvalidArgumentError, Option } from "commander";
import type { GeneratorOptions, KafkaCompression, SinkTarget } from "@gametel/generator";
import { DEFAULT_START_TIME, KAFKA_COMPRESSIONS } from "@gametel/generator";
import type { ProgressMode } from "./Progress.js";

export interface CliConfig {
  readonly generator: GeneratorOptions;
  readonly target: SinkTarget;
  /** Records per second, 0 = unpaced. */
  readonly rate: number;
  readonly durationMs: number | undefined;
  /** Live mode: event time starts now and records are written when their event time comes. */
  readonly realtime: boolean;
  /** In live mode with a rate: scale players and matches to the rate (neither was given). */
  readonly sizeToRate: boolean;
  readonly summaryPath: string | undefined;
  readonly progress: ProgressMode;
  /** How long to wait at start for the Kafka or MongoDB target to answer. */
  readonly connectTimeoutMs: number;
  readonly logLevel: AppLogLevel;
}

const LOG_LEVELS: readonly AppLogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
/** The local stack's port of a service (GAMETEL_KAFKA_PORT / GAMETEL_MONGO_PORT), as the stack itself reads it. */
const stackPort = (name: string, fallback: number) => process.env[name] || String(fallback);

const integer =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}.`);
    return n;
  };
const number =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`expected a number >= ${min}.`);
    return n;
  };
const fraction = (value: string): number => {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError("expected a fraction between 0 and 1.");
  return n;
};
const instant = (value: string): number => {
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError("expected an ISO-8601 time or epoch milliseconds.");
  }
  return n;
};

export const createCommand = (): Command =>
  new Command()
    .name("gametel-generator")
    .description(
      "Simulates game servers running matches and writes telemetry events (wire format v1) to NDJSON, " +
        "a Kafka topic or the MongoDB telemetry collection. Same --seed and options: same records, byte for byte.",
    )
    .option("--seed <n>", "PRNG seed (32-bit integer)", integer(0), 1)
    .option("--game-id <id>", "game_id of every event", "arena")
    .option(
      "--players <n>",
      "player population (default: 100; with --realtime and --rate: sized to the rate)",
      integer(2),
    )
    .option(
      "--matches <n>",
      "concurrent matches (default: 8; with --realtime and --rate: sized to the rate)",
      integer(1),
    )
    .option("--servers <n>", "game servers", integer(1), 4)
    .option("--rate <n>", "records per second (0 = as fast as the target takes them)", number(0), 0)
    .option("--duration <s>", "stop after this many seconds", number(0))
    .option("--events <n>", "stop after exactly this many records", integer(0))
    .option(
      "--start-time <time>",
      "event time of the start, ISO-8601 or epoch ms (default 2026-01-01T00:00:00Z; now with --realtime)",
      instant,
    )
    .option(
      "--realtime",
      "live mode: event time follows the wall clock (starts now, records wait for their time)",
      false,
    )
    .option("--out <file>", "write NDJSON to a file, or - for stdout")
    .option("--kafka <topic>", "produce to this Kafka topic, keyed by partitionKey")
    .addOption(
      new Option("--brokers <list>", "Kafka bootstrap servers, comma separated")
        .env("KAFKA_BROKERS")
        .default(`localhost:${stackPort("GAMETEL_KAFKA_PORT", 9092)}`),
    )
    .addOption(
      new Option("--kafka-security-protocol <protocol>", KAFKA_SECURITY_HELP.securityProtocol).env(
        "KAFKA_SECURITY_PROTOCOL",
      ),
    )
    .addOption(
      new Option("--kafka-sasl-mechanism <mechanism>", KAFKA_SECURITY_HELP.saslMechanism).env(
        "KAFKA_SASL_MECHANISM",
      ),
    )
    .addOption(new Option("--kafka-ssl-ca <file>", KAFKA_SECURITY_HELP.sslCa).env("KAFKA_SSL_CA"))
    .option("--partitions <n>", "partitions when the topic has to be created", integer(1), 12)
    .addOption(
      new Option("--compression <codec>", "Kafka compression").choices(KAFKA_COMPRESSIONS).default("none"),
    )
    .option("--mongo", "insert into the MongoDB telemetry collection (the MongoDB-first path)", false)
    .addOption(
      new Option("--mongo-uri <uri>", "MongoDB connection string")
        .env("MONGODB_URI")
        .default(`mongodb://localhost:${stackPort("GAMETEL_MONGO_PORT", 27017)}`),
    )
    .option("--mongo-db <name>", "MongoDB database", "gametel")
    .option("--batch-size <n>", "records per Kafka request / insertMany", integer(1), 500)
    .option("--linger-ms <ms>", "longest wait for a batch to fill", integer(0), 20)
    .option("--duplicates <f>", "fraction of events written twice", fraction, 0)
    .option(
      "--out-of-order <f>",
      "fraction of events written after a newer event of their key (within the grace)",
      fraction,
      0,
    )
    .option(
      "--late <f>",
      "fraction of events held until their window closed (window end + grace)",
      fraction,
      0,
    )
    .option("--malformed <f>", "malformed records to add, as a fraction of events", fraction, 0)
    .option("--window-ms <ms>", "window size that defines late events", integer(1), 300_000)
    .option("--grace-ms <ms>", "grace after the window end", integer(0), 60_000)
    .option("--summary <file>", "write the JSON summary to a file instead of stderr")
    .addOption(
      new Option("--progress <mode>", "progress display")
        .choices(["auto", "bar", "lines", "off"])
        .default("auto"),
    )
    .addOption(
      new Option(
        "--connect-timeout-ms <ms>",
        "wait this long at start for the Kafka or MongoDB target, then exit 3",
      )
        .env("GAMETEL_CONNECT_TIMEOUT_MS")
        .argParser(integer(100))
        .default(DEFAULT_CONNECT_TIMEOUT_MS),
    )
    .addOption(
      new Option("--log-level <level>", "level of the JSON log lines on stderr (client messages)")
        .env("GAMETEL_LOG_LEVEL")
        .choices(LOG_LEVELS)
        .default("info"),
    )
    .configureOutput({
      outputError: (message, write) =>
        write(
          `gametel-generator: invalid configuration: ${message.replace(/^error: /, "").trimEnd()} (--help for usage)\n`,
        ),
    })
    // --help exits 0; a usage error (printed by commander) exits 2, as in every gametel app.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? ExitCode.ok : ExitCode.usage));

interface RawOptions {
  seed: number;
  gameId: string;
  players?: number;
  matches?: number;
  servers: number;
  rate: number;
  duration?: number;
  events?: number;
  startTime?: number;
  realtime: boolean;
  out?: string;
  kafka?: string;
  brokers: string;
  kafkaSecurityProtocol?: string;
  kafkaSaslMechanism?: string;
  kafkaSslCa?: string;
  partitions: number;
  compression: KafkaCompression;
  mongo: boolean;
  mongoUri: string;
  mongoDb: string;
  batchSize: number;
  lingerMs: number;
  duplicates: number;
  outOfOrder: number;
  late: number;
  malformed: number;
  windowMs: number;
  graceMs: number;
  summary?: string;
  progress: ProgressMode;
  connectTimeoutMs: number;
  logLevel: AppLogLevel;
}

/** kafkajs' TLS and SASL from the options (the environment already applied by commander) and the credentials. */
const kafkaConnection = (raw: RawOptions, env: NodeJS.ProcessEnv) => {
  try {
    return kafkajsSecurity(
      {
        securityProtocol: raw.kafkaSecurityProtocol,
        saslMechanism: raw.kafkaSaslMechanism,
        sslCa: raw.kafkaSslCa,
      },
      { KAFKA_SASL_USERNAME: env.KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: env.KAFKA_SASL_PASSWORD },
    );
  } catch (error) {
    if (error instanceof KafkaSecurityError) throw new InvalidArgumentError(error.message);
    throw error;
  }
};

/** Turns parsed options into a run configuration, refusing contradictions with one clear message. */
export const toConfig = (raw: RawOptions, now: number, env: NodeJS.ProcessEnv = process.env): CliConfig => {
  const targets = [raw.out !== undefined, raw.kafka !== undefined, raw.mongo].filter(Boolean).length;
  if (targets !== 1)
    throw new InvalidArgumentError("choose exactly one target: --out FILE|-, --kafka TOPIC or --mongo");
  if (raw.duration !== undefined && raw.events !== undefined) {
    throw new InvalidArgumentError("use --duration or --events, not both");
  }
  if (raw.kafka !== undefined && (raw.compression === "lz4" || raw.compression === "zstd")) {
    throw new InvalidArgumentError(
      `--compression ${raw.compression}: kafkajs ships no ${raw.compression} codec (it needs a native add-on); use none, gzip or snappy`,
    );
  }
  const target: SinkTarget =
    raw.out !== undefined
      ? { kind: "ndjson", path: raw.out }
      : raw.kafka !== undefined
        ? {
            kind: "kafka",
            topic: raw.kafka,
            brokers: raw.brokers
              .split(",")
              .map((b) => b.trim())
              .filter((b) => b.length > 0),
            partitions: raw.partitions,
            batchSize: raw.batchSize,
            lingerMs: raw.lingerMs,
            compression: raw.compression,
            connection: kafkaConnection(raw, env),
          }
        : {
            kind: "mongo",
            uri: raw.mongoUri,
            db: raw.mongoDb,
            batchSize: raw.batchSize,
            lingerMs: raw.lingerMs,
          };
  const generator: GeneratorOptions = {
    seed: raw.seed,
    gameId: raw.gameId,
    servers: raw.servers,
    startTime: raw.startTime ?? (raw.realtime ? now : DEFAULT_START_TIME),
    duplicates: raw.duplicates,
    outOfOrder: raw.outOfOrder,
    late: raw.late,
    malformed: raw.malformed,
    malformedFormat: target.kind === "mongo" ? "document" : "json",
    windowMs: raw.windowMs,
    graceMs: raw.graceMs,
    ...(raw.players !== undefined ? { players: raw.players } : {}),
    ...(raw.matches !== undefined ? { matches: raw.matches } : {}),
    ...(raw.events !== undefined ? { maxRecords: raw.events } : {}),
  };
  return {
    generator,
    target,
    rate: raw.rate,
    durationMs: raw.duration === undefined ? undefined : raw.duration * 1000,
    realtime: raw.realtime,
    sizeToRate: raw.realtime && raw.rate > 0 && raw.players === undefined && raw.matches === undefined,
    summaryPath: raw.summary,
    progress: raw.progress,
    connectTimeoutMs: raw.connectTimeoutMs,
    logLevel: raw.logLevel,
  };
};

/** Parses argv (user arguments only); a leading "--" left by a script runner is ignored. */
export const parseCli = (
  args: readonly string[],
  now: number,
  command: Command = createCommand(),
): CliConfig => {
  const userArgs = args[0] === "--" ? args.slice(1) : args;
  command.parse(userArgs, { from: "user" });
  try {
    return toConfig(command.opts<RawOptions>(), now);
  } catch (error) {
    if (error instanceof InvalidArgumentError) command.error(`error: ${error.message}`);
    throw error;
  }
};
