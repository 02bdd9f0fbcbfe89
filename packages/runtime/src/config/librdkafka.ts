import type { KafkaSettings } from "./ProcessorConfig.js";

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
