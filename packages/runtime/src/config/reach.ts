import { reachKafka, reachMongo } from "@gametel/ops";
import type { Logger } from "../ops/Logger.js";
import { toKafkajsConfig } from "../kafka/kafkajsConfig.js";
import { toMongoClientOptions } from "./mongo.js";
import type { ProcessorConfig } from "./ProcessorConfig.js";

/**
 * Checks at start that Kafka and MongoDB answer within `--connect-timeout-ms` (both at once); rejects with the
 * `UnreachableError` of the first in that order, whose message is the one line the operator sees.
 */
export async function reachProcessorDependencies(config: ProcessorConfig, logger: Logger): Promise<void> {
  const timeoutMs = config.connectTimeoutMs;
  const [kafka, mongo] = await Promise.allSettled([
    reachKafka(toKafkajsConfig(config.kafka), { timeoutMs, setting: "--brokers / KAFKA_BROKERS", logger }),
    reachMongo(config.mongo.uri.reveal(), toMongoClientOptions(config.mongo), {
      timeoutMs,
      setting: "--mongo-uri / MONGODB_URI",
      logger,
    }),
  ]);
  if (kafka.status === "rejected") throw kafka.reason;
  if (mongo.status === "rejected") throw mongo.reason;
}
