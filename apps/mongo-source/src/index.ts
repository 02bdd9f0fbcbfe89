export { createMongoSource } from "./MongoSource.js";
export type { MongoSource, MongoSourceDeps, SourceSummary, StopReason } from "./MongoSource.js";
export {
  resolveSourceConfig,
  sourceLabel,
  SourceConfigError,
  SOURCE_DEFAULTS,
  DEFAULT_KAFKA_BROKERS,
  DEFAULT_MONGODB_URI,
} from "./SourceConfig.js";
export type { KafkaConnection, SourceConfig, SourceConfigInput } from "./SourceConfig.js";
export { createMongoOffsetStore } from "./OffsetStore.js";
export type { OffsetStore, ResumePoint, SourceOffset } from "./OffsetStore.js";
export { createKafkaPublisher } from "./Publisher.js";
export type { RecordPublisher } from "./Publisher.js";
export type { SourceLogger } from "./SourceLogger.js";
export { DeadLetterHeader } from "./DeadLetter.js";
export { LogEvent } from "./LogEvents.js";
export { ResumePointLostError } from "./changeStreamErrors.js";
export { routeDocument, toWireObject } from "./documentToRecord.js";
export type { OutgoingRecord, RoutedDocument, RouteContext } from "./documentToRecord.js";
export { parseCli } from "./cli.js";
