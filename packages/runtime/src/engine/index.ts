// @gametel/runtime/engine: what an engine adapter is built from (the kafkajs and node-rdkafka apps use it).

export type {
  ConsumedRecord,
  Engine,
  EngineHandlers,
  PartitionBatch,
  ProducedRecord,
  TopicPartition,
  TopicPartitionOffset,
} from "./Engine.js";
export { topicPartitionKey } from "./Engine.js";
export { murmur2, partitionForKey, toPositive } from "./murmur2.js";
export { BatchGate } from "./BatchGate.js";
export { EngineSession, type SessionState } from "./EngineSession.js";
export { CommitCoalescer } from "./CommitCoalescer.js";
export { SerialBatcher } from "./SerialBatcher.js";
export { chunk, toPartitionBatches } from "./batches.js";
export { groupCaughtUp, partitionLag, type Watermarks } from "./lag.js";
export { EngineProgress } from "./EngineProgress.js";
export { BrokerPatience, type BrokerPatienceOptions, type PatienceVerdict } from "./BrokerPatience.js";
export {
  BrokerOutage,
  BrokerUnreachableError,
  describeCause,
  type BrokerOutageOptions,
} from "./BrokerOutage.js";

// Kafka administration and client configuration an adapter needs.
export { GroupOffsets, type OffsetsSnapshot } from "../kafka/GroupOffsets.js";
export { ensureProcessorTopics, processorTopics } from "../kafka/topics.js";
export { kafkajsLogCreator, toKafkajsConfig, toKafkajsConsumerConfig } from "../kafka/kafkajsConfig.js";
export {
  librdkafkaLogListener,
  toLibrdkafkaConfig,
  toLibrdkafkaConsumerConfig,
  type LibrdkafkaLog,
  type LibrdkafkaProperties,
} from "../config/librdkafka.js";
export type { ProcessorConfig } from "../config/ProcessorConfig.js";
export type { Logger } from "../ops/Logger.js";
export type { RuntimeMetrics } from "../ops/Metrics.js";
export { silentLogger } from "../ops/Logger.js";
