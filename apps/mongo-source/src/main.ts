#!/usr/bin/env node
// Reads the command line, checks that MongoDB and Kafka answer, runs the source until a signal, idleness or
// --max-events, and always flushes and saves the offset on the way out. Exit codes: @gametel/ops ExitCode.
import {
  ExitCode,
  createAppLogger,
  exitOnStartFailure,
  maskUriPassword,
  reachKafka,
  reachMongo,
} from "@gametel/ops";
import { ensureTopics, startOpsServer, toKafkajsConfig, type OpsServer } from "@gametel/runtime";
import { Kafka } from "kafkajs";
import { MongoClient } from "mongodb";
import { parseCli } from "./cli.js";
import { ResumePointLostError } from "./changeStreamErrors.js";
import { createMongoSource } from "./MongoSource.js";
import { createKafkaPublisher } from "./Publisher.js";
import { SourceConfigError } from "./SourceConfig.js";
import { createSourceRegistry } from "./SourceMetrics.js";

const PROGRAM = "gametel-mongo-source";

let cli: ReturnType<typeof parseCli>;
try {
  cli = parseCli(process.argv, process.env);
} catch (error) {
  if (!(error instanceof SourceConfigError)) throw error;
  process.stderr.write(`${PROGRAM}: invalid configuration: ${error.message}\n`);
  process.exit(ExitCode.usage);
}
const { config } = cli;
const logger = createAppLogger({ app: PROGRAM, level: cli.logLevel });
const kafkaConfig = toKafkajsConfig(config.kafka, { logger });
const client = new MongoClient(config.mongoUri, { appName: PROGRAM });
const publisher = createKafkaPublisher(config.kafka, logger);
const source = createMongoSource({ config, client, publisher, logger });

let signals = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write(
        `${PROGRAM}: second ${signal}: exiting without saving the offset (nothing is lost: it resumes from the last save)\n`,
      );
      process.exit(ExitCode.interrupted);
    }
    logger.info({ signal }, "signal received: publishing the in-flight batch and saving the offset");
    source.stop();
  });
}

logger.info(
  {
    mongo: maskUriPassword(config.mongoUri),
    brokers: config.kafka.brokers,
    metricsPort: cli.metricsPort,
    connectTimeoutMs: cli.connectTimeoutMs,
  },
  "starting",
);
const reach = { timeoutMs: cli.connectTimeoutMs, logger };
const [mongoReached, kafkaReached] = await Promise.allSettled([
  reachMongo(config.mongoUri, {}, { ...reach, setting: "--mongo-uri / MONGODB_URI" }),
  reachKafka(kafkaConfig, { ...reach, setting: "--brokers / KAFKA_BROKERS" }),
]);
if (mongoReached.status === "rejected") exitOnStartFailure(PROGRAM, mongoReached.reason, { logger });
if (kafkaReached.status === "rejected") exitOnStartFailure(PROGRAM, kafkaReached.reason, { logger });

let exitCode: ExitCode = ExitCode.ok;
let ops: OpsServer | undefined;
try {
  ops =
    cli.metricsPort > 0
      ? await startOpsServer({
          port: cli.metricsPort,
          registry: createSourceRegistry(() => source.progress()),
          ready: () => source.progress().running,
          logger,
        })
      : undefined;
  await client.connect();
  await publisher.connect();
  // Create the topics with the processors' partition count: a broker's auto-creation would use its own default.
  const admin = new Kafka(kafkaConfig).admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      [config.eventsTopic, config.deadLetterTopic].map((name) => ({
        name,
        partitions: config.partitions,
        config: {},
      })),
      logger,
    );
  } finally {
    await admin.disconnect();
  }
  const summary = await source.run();
  logger.info({ ...summary }, "summary");
} catch (error) {
  const configLike = error instanceof ResumePointLostError || error instanceof SourceConfigError;
  exitCode = configLike ? ExitCode.usage : ExitCode.runtimeFailure;
  logger.error({ err: error }, "failed");
  process.stderr.write(
    `${PROGRAM}: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ")}\n`,
  );
} finally {
  await publisher.disconnect().catch(() => undefined);
  await client.close().catch(() => undefined);
  await ops?.close().catch(() => undefined);
}
process.exit(exitCode);
