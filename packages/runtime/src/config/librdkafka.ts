import type { Logger } from "../ops/Logger.js";
import { heartbeatIntervalMs, rebalanceTimeoutMs } from "./group.js";
import type { KafkaSettings, ProcessorConfig } from "./ProcessorConfig.js";

/** librdkafka's own default `max.poll.interval.ms` (its rebalance timeout; must be >= the session timeout). */
const LIBRDKAFKA_MAX_POLL_INTERVAL_MS = 300_000;

/** librdkafka properties (global configuration) for the configured brokers and security. */
export type LibrdkafkaProperties = Record<string, string | number | boolean>;

/** librdkafka client properties for the configured brokers and security (the SASL password is revealed here). */
export function toLibrdkafkaConfig(kafka: KafkaSettings): LibrdkafkaProperties {
  const properties: LibrdkafkaProperties = {
    "metadata.broker.list": kafka.brokers.join(","),
    "client.id": kafka.clientId,
    "security.protocol": kafka.securityProtocol.toLowerCase(),
  };
  if (kafka.sasl !== null) {
    properties["sasl.mechanisms"] = kafka.sasl.mechanism;
    properties["sasl.username"] = kafka.sasl.username;
    properties["sasl.password"] = kafka.sasl.password.reveal();
  }
  if (kafka.sslCaFile !== null) properties["ssl.ca.location"] = kafka.sslCaFile;
  return properties;
}

/**
 * librdkafka consumer properties: the client's, the group with its session timeout and heartbeats every third of
 * it, and manual offsets (`enable.auto.commit=false`, `enable.auto.offset.store=false`: offsets are stored and
 * committed only after the batch's MongoDB write).
 */
export function toLibrdkafkaConsumerConfig(config: ProcessorConfig): LibrdkafkaProperties {
  return {
    ...toLibrdkafkaConfig(config.kafka),
    "group.id": config.group,
    "session.timeout.ms": config.sessionTimeoutMs,
    "heartbeat.interval.ms": heartbeatIntervalMs(config.sessionTimeoutMs),
    "max.poll.interval.ms": rebalanceTimeoutMs(config.sessionTimeoutMs, LIBRDKAFKA_MAX_POLL_INTERVAL_MS),
    "enable.auto.commit": false,
    "enable.auto.offset.store": false,
  };
}

/** A librdkafka log line as node-rdkafka emits it (`event.log`): syslog severity, facility and text. */
export interface LibrdkafkaLog {
  readonly severity: number;
  readonly fac: string;
  readonly message: string;
}

/**
 * Routes librdkafka's own log lines (node-rdkafka `event.log`) into the app's logger at their syslog severity
 * (0–3 error, 4 warn, 5–6 info, 7 debug), as `component: librdkafka.<client>` with the facility.
 *
 * @example
 * producer.on("event.log", librdkafkaLogListener(logger, "producer"));
 */
export function librdkafkaLogListener(logger: Logger, client: string): (log: LibrdkafkaLog) => void {
  return ({ severity, fac, message }) => {
    const fields = { component: `librdkafka.${client}`, facility: fac };
    if (severity <= 3) logger.error(fields, message);
    else if (severity === 4) logger.warn(fields, message);
    else if (severity <= 6) logger.info(fields, message);
    else logger.debug(fields, message);
  };
}
