#!/usr/bin/env node
// Reads flags, environment and keys, serves HTTP at once (503 until Kafka answers), connects to Kafka in the
// background, and on SIGTERM/SIGINT drains the requests in flight before it disconnects.
import { serve } from "@hono/node-server";
import { ensureTopics, toKafkajsConfig } from "@gametel/runtime";
import { Kafka, logLevel } from "kafkajs";
import { pino } from "pino";
import { parseCli } from "./cli.js";
import { CollectorConfigError } from "./CollectorConfig.js";
import { createCollector } from "./createCollector.js";
import { createKafkaProducer } from "./kafka/KafkaProducer.js";

const PROGRAM = "gametel-collector";

let cli: ReturnType<typeof parseCli>;
try {
  cli = parseCli(process.argv, process.env);
} catch (error) {
  if (!(error instanceof CollectorConfigError)) throw error;
  process.stderr.write(`${PROGRAM}: ${error.message}\n`);
  process.exit(2);
}
const { config } = cli;
const logger = pino({ name: PROGRAM, level: config.logLevel, timestamp: pino.stdTimeFunctions.isoTime });
const producer = createKafkaProducer(config.kafka, logger);
const collector = createCollector({
  settings: config,
  keys: config.keys,
  producer,
  logger,
  trustProxy: cli.trustProxy,
});

let stopping = false;
async function connectKafka(): Promise<void> {
  const admin = new Kafka({ ...toKafkajsConfig(config.kafka), logLevel: logLevel.NOTHING }).admin();
  for (let attempt = 0; !stopping; attempt++) {
    try {
      await admin.connect();
      const spec = (name: string) => ({ name, partitions: config.partitions, config: {} });
      await ensureTopics(admin, [spec(config.eventsTopic), spec(config.deadLetterTopic)], logger);
      await admin.disconnect();
      await producer.connect();
      logger.info({ brokers: config.kafka.brokers, topic: config.eventsTopic }, "connected to Kafka; ready");
      return;
    } catch (error) {
      await admin.disconnect().catch(() => undefined);
      logger.warn(
        { err: error, brokers: config.kafka.brokers, attempt },
        "cannot reach Kafka; requests get 503 until it answers",
      );
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt)));
    }
  }
}

const server = serve({ fetch: collector.app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info(
    {
      url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${info.port}`,
      port: info.port,
      games: config.keys.games,
      keys: config.keys.size,
      limits: config.limits,
    },
    "collector listening",
  );
});
const connecting = connectKafka();

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, inFlight: collector.inFlight() }, "draining requests in flight");
  // No new connections; idle keep-alive connections closed now, busy ones once answered.
  server.close();
  if ("closeIdleConnections" in server) server.closeIdleConnections();
  await collector.drain(cli.drainTimeoutMs);
  if ("closeAllConnections" in server) server.closeAllConnections();
  await connecting;
  await producer
    .disconnect()
    .catch((error: unknown) => logger.warn({ err: error }, "Kafka disconnect failed"));
  logger.info({ signal }, "collector stopped");
  process.exit(0);
}
process.once("SIGTERM", () => void stop("SIGTERM"));
process.once("SIGINT", () => void stop("SIGINT"));
