import { readFileSync } from "node:fs";
import { kafkajsLogCreator } from "@gametel/ops";
import {
  logLevel as KafkajsLogLevel,
  type ConsumerConfig,
  type KafkaConfig,
  type SASLOptions,
} from "kafkajs";
import type { Logger } from "../ops/Logger.js";
import { heartbeatIntervalMs, rebalanceTimeoutMs } from "../config/group.js";
import type { KafkaSettings, ProcessorConfig, SaslMechanism } from "../config/ProcessorConfig.js";

export { kafkajsLogCreator };

/** kafkajs' own default `rebalanceTimeout`. */
const KAFKAJS_REBALANCE_TIMEOUT_MS = 60_000;

const KAFKAJS_MECHANISM: Record<SaslMechanism, "plain" | "scram-sha-256" | "scram-sha-512"> = {
  PLAIN: "plain",
  "SCRAM-SHA-256": "scram-sha-256",
  "SCRAM-SHA-512": "scram-sha-512",
};

/** kafkajs client options for the configured brokers and security (the SASL password is revealed here). */
export function toKafkajsConfig(
  kafka: KafkaSettings,
  options: { readonly logger?: Logger } = {},
): KafkaConfig {
  const tls = kafka.securityProtocol === "SSL" || kafka.securityProtocol === "SASL_SSL";
  const config: KafkaConfig = {
    clientId: kafka.clientId,
    brokers: [...kafka.brokers],
    ssl: tls ? (kafka.sslCaFile === null ? true : { ca: [readFileSync(kafka.sslCaFile, "utf8")] }) : false,
  };
  if (kafka.sasl !== null) {
    const sasl: SASLOptions = {
      mechanism: KAFKAJS_MECHANISM[kafka.sasl.mechanism],
      username: kafka.sasl.username,
      password: kafka.sasl.password.reveal(),
    } as SASLOptions;
    config.sasl = sasl;
  }
  if (options.logger !== undefined) {
    config.logCreator = kafkajsLogCreator(options.logger);
    config.logLevel = KafkajsLogLevel.INFO;
  }
  return config;
}

/**
 * kafkajs consumer options: the group, its session timeout with heartbeats every third of it, a rebalance timeout
 * of at least the session timeout, and the fetch wait. Topics are never created by fetching.
 */
export function toKafkajsConsumerConfig(config: ProcessorConfig): ConsumerConfig {
  return {
    groupId: config.group,
    sessionTimeout: config.sessionTimeoutMs,
    heartbeatInterval: heartbeatIntervalMs(config.sessionTimeoutMs),
    rebalanceTimeout: rebalanceTimeoutMs(config.sessionTimeoutMs, KAFKAJS_REBALANCE_TIMEOUT_MS),
    maxWaitTimeInMs: config.maxWaitMs,
    allowAutoTopicCreation: false,
  };
}
