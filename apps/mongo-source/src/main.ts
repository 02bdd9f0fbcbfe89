#!/usr/bin/env node
// Reads the command line, connects to MongoDB and Kafka, runs the source until a signal, idleness or
// --max-events, and always flushes and saves the offset on the way out.
import { ensureTopics, maskUriPassword, toKafkajsConfig } from "@gametel/runtime";
import { Kafka } from "kafkajs";
import { MongoClient } from "mongodb";
import { pino } from "pino";
import { parseCli } from "./cli.js";
import { ResumePointLostError } from "./internal/changeStreamErrors.js";
import { createMongoSource } from "./MongoSource.js";
import { createKafkaPublisher } from "./Publisher.js";
import { SourceConfigError } from "./SourceConfig.js";

const PROGRAM = "gametel-mongo-source";

const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ");

function fail(message: string, exitCode: number): never {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  process.exit(exitCode);
}

let cli: ReturnType<typeof parseCli>;
try {
  cli = parseCli(process.argv, process.env);
} catch (error) {
  if (error instanceof SourceConfigError) fail(error.message, 2);
  throw error;
}
const { config } = cli;
const logger = pino({ name: PROGRAM, level: cli.logLevel });
const client = new MongoClient(config.mongoUri, { appName: PROGRAM, serverSelectionTimeoutMS: 15_000 });
const publisher = createKafkaPublisher(config.kafka, logger);
const source = createMongoSource({ config, client, publisher, logger });

let signals = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1)
      fail(
        `second ${signal}: exiting without saving the offset (nothing is lost: it resumes from the last save)`,
        130,
      );
    logger.info({ signal }, "signal received: publishing the in-flight batch and saving the offset");
    source.stop();
  });
}

let exitCode = 0;
try {
  await client.connect().catch((error: unknown) => {
    throw new Error(`cannot reach MongoDB at ${maskUriPassword(config.mongoUri)}: ${messageOf(error)}`);
  });
  await publisher.connect().catch((error: unknown) => {
    throw new Error(`cannot reach Kafka at ${config.kafka.brokers.join(",")}: ${messageOf(error)}`);
  });
  // Create the topics with the processors' partition count: a broker's auto-creation would use its own default.
  const admin = new Kafka(toKafkajsConfig(config.kafka)).admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      [config.eventsTopic, config.deadLetterTopic].map((name) => ({ name, partitions: config.partitions, config: {} })),
      logger,
    );
  } finally {
    await admin.disconnect();
  }
  const summary = await source.run();
  logger.info({ ...summary }, "summary");
} catch (error) {
  exitCode = 1;
  if (error instanceof ResumePointLostError || error instanceof SourceConfigError) {
    logger.error({ err: error }, "failed");
    process.stderr.write(`${PROGRAM}: ${error.message}\n`);
    exitCode = 2;
  } else {
    logger.error({ err: error }, "failed");
    process.stderr.write(`${PROGRAM}: ${messageOf(error)}\n`);
  }
} finally {
  await publisher.disconnect().catch(() => undefined);
  await client.close().catch(() => undefined);
}
process.exit(exitCode);
