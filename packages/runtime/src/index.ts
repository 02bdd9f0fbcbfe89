// @gametel/runtime: run a game's stream model on an engine (the processor apps' main, the processing loop, stores,
// configuration and operability).

// Engine building blocks live in "@gametel/runtime/engine"; test kits and verification in "@gametel/runtime/testing".
export type {
  ConsumedRecord,
  Engine,
  PartitionBatch,
  ProducedRecord,
  TopicPartition,
  TopicPartitionOffset,
} from "./engine/Engine.js";
export { murmur2, partitionForKey, toPositive } from "./engine/murmur2.js";

// Kafka administration (the runtime's only Kafka client use): topics and consumer-group offsets.
export { ensureProcessorTopics, ensureTopics, processorTopics, type TopicSpec } from "./kafka/topics.js";
export { kafkajsLogCreator, toKafkajsConfig, toKafkajsConsumerConfig } from "./kafka/kafkajsConfig.js";

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
export { toMongoClientOptions, type MongoTlsOptions } from "./config/mongo.js";
export { createProcessorLogger, type ProcessorLoggerOptions } from "./config/logging.js";

// Operability.
export type { Logger } from "./ops/Logger.js";
export { silentLogger } from "./ops/Logger.js";
export { MetricHelp, MetricNames } from "./ops/MetricNames.js";
export { createMetrics, metricTotal, type MetricsOptions, type RuntimeMetrics } from "./ops/Metrics.js";
export { startOpsServer, type OpsServer, type OpsServerOptions } from "./ops/OpsServer.js";

// Processing loop and models.
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
  ARENA_COLLECTIONS,
  arenaModel,
  matchStatsFields,
  playerStatsFields,
  windowId,
  type ArenaCollections,
  type ArenaModelOptions,
} from "./processor/ArenaModel.js";
export { checkModel } from "./processor/StreamModel.js";
export type {
  Aggregation,
  AggregationWindows,
  DecodeOutcome,
  IndexSpec,
  KeyedAggregation,
  MergedAggregation,
  StreamModel,
  Target,
  Window,
} from "./processor/StreamModel.js";
export {
  StreamTask,
  type BatchResult,
  type CommitResult,
  type RecordCollector,
  type TaskTopics,
} from "./processor/StreamTask.js";
export { DeadLetterHeaders, DeadLetterReasons } from "./processor/DeadLetter.js";
export { COMMIT_DEFAULTS, type CommitBounds } from "./processor/CommitInterval.js";

// State stores.
export { DEFAULT_COLLECTIONS, type CollectionNames } from "./store/Collections.js";
export type {
  AggregateRecord,
  CollectionIndexes,
  DedupDrop,
  DedupRange,
  DedupSlots,
  FencedState,
  KeyStateRecord,
  LoadedKeyState,
  LoadedPart,
  MergeParts,
  PartRecord,
  StoreAdmin,
  TaskStore,
} from "./store/TaskStore.js";
export { MongoTaskStore, dedupCollection, type MongoTaskStoreOptions } from "./store/MongoTaskStore.js";
