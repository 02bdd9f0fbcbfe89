/** Kafka compression codecs the CLI accepts; kafkajs itself writes none, gzip and snappy. */
export const KAFKA_COMPRESSIONS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];
