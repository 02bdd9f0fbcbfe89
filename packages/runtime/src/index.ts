// @gametel/runtime: the engine-agnostic stream runtime shared by the processor apps.

// Engine port and the building blocks of engine adapters.
export type {
  ConsumedRecord,
  Engine,
  EngineHandlers,
  PartitionBatch,
  ProducedRecord,
  TopicPartition,
  TopicPartitionOffset,
} from "./engine/Engine.js";
export { topicPartitionKey } from "./engine/Engine.js";
export { murmur2, partitionForKey, toPositive } from "./engine/murmur2.js";
export { ensureProcessorTopics, ensureTopics, processorTopics, type TopicSpec } from "./engine/topics.js";
export { BatchGate } from "./engine/internal/BatchGate.js";
export { EngineSession, type SessionState } from "./engine/internal/EngineSession.js";
export { CommitCoalescer } from "./engine/internal/CommitCoalescer.js";
export { SerialBatcher } from "./engine/internal/SerialBatcher.js";
export { chunk, toPartitionBatches } from "./engine/internal/batches.js";
export { groupCaughtUp, partitionLag, type Watermarks } from "./engine/internal/lag.js";
export { GroupOffsets, type OffsetsSnapshot } from "./engine/GroupOffsets.js";
export { EngineProgress } from "./engine/EngineProgress.js";

// Configuration shared by both apps: flags + environment, validation, client mappings, logging.
export type {
  KafkaSettings,
  LogLevel,
  MongoSettings,
  ProcessorConfig,
  SaslMechanism,
  SaslSettings,
  SecurityProtocol,
  TopicSettings,
} from "./config/ProcessorConfig.js";
export { Secret, maskUriPassword } from "./config/Secret.js";
export { ConfigError } from "./config/validate.js";
export { parseProcessorArgs, processorHelp, type ParseOutcome } from "./config/parse.js";
export { EXIT_INVALID_CONFIG, loadConfigOrExit } from "./config/cli.js";
export { describeConfig } from "./config/describe.js";
export { kafkajsLogCreator, toKafkajsConfig, toKafkajsConsumerConfig } from "./config/kafkajs.js";
export {
  toLibrdkafkaConfig,
  toLibrdkafkaConsumerConfig,
  type LibrdkafkaProperties,
  librdkafkaLogListener,
  type LibrdkafkaLog,
} from "./config/librdkafka.js";
export { toMongoClientOptions, type MongoTlsOptions } from "./config/mongo.js";
export { createProcessorLogger, type ProcessorLoggerOptions } from "./config/logging.js";

// Operability.
export type { Logger } from "./ops/Logger.js";
export { silentLogger } from "./ops/Logger.js";
export { MetricHelp, MetricNames } from "./ops/MetricNames.js";
export { createMetrics, metricTotal, type MetricsOptions, type RuntimeMetrics } from "./ops/Metrics.js";
export { startOpsServer, type OpsServer, type OpsServerOptions } from "./ops/OpsServer.js";

// Processing loop (processing-loop engineer's section).
export {
  createProcessor,
  type Processor,
  type ProcessorDeps,
  type ProcessorTotals,
} from "./processor/Processor.js";
export {
  loopConfig,
  runProcessor,
  startProcessor,
  type RunProcessorDeps,
  type StartedProcessor,
} from "./processor/runProcessor.js";
export { runProcessorMain, type ProcessorMainOptions } from "./processor/runProcessorMain.js";
export { LOOP_DEFAULTS, checkLoopConfig, type LoopConfig } from "./processor/LoopConfig.js";
export {
  coreModel,
  matchStatsFields,
  playerStatsFields,
  type CoreModelOptions,
} from "./processor/CoreModel.js";
export type {
  Aggregator,
  DecodeOutcome,
  DedupPolicy,
  PlayerIdentity,
  SharedTarget,
  StreamModel,
  Window,
} from "./processor/StreamModel.js";
export {
  StreamTask,
  windowId,
  type BatchResult,
  type RecordCollector,
  type TaskTopics,
} from "./processor/StreamTask.js";
export { DeadLetterHeaders, DeadLetterReasons } from "./processor/DeadLetter.js";

// State stores.
export { DEFAULT_COLLECTIONS, type CollectionNames } from "./store/Collections.js";
export type {
  AggregateRecord,
  FencedState,
  KeyStateRecord,
  LoadedPart,
  MergeParts,
  PartRecord,
  StoreAdmin,
  TaskStore,
} from "./store/TaskStore.js";
export { MongoTaskStore, type MongoTaskStoreOptions } from "./store/internals/MongoTaskStore.js";
export { InMemoryTaskStore } from "./store/internals/InMemoryTaskStore.js";

// Verification (benchmarks and tests): independent recomputation and what the processor wrote.
export { compareResults, type EventCounts, type ResultDoc, type Results } from "./verify/Results.js";
export {
  recomputeExpected,
  type ExpectedResults,
  type RecomputeOptions,
} from "./verify/recomputeExpected.js";
export { readCounts, readResults } from "./verify/readResults.js";
