// @gametel/collector: HTTP ingestion into Kafka, for embedding and tests.
export { createCollector, type Collector, type CollectorDeps } from "./createCollector.js";
export {
  COLLECTOR_DEFAULTS,
  CollectorConfigError,
  type CollectorConfig,
  type CollectorLimits,
  type CollectorRateLimits,
  type CollectorSettings,
  type RateLimit,
} from "./CollectorConfig.js";
export { CollectorError, RefusalCodes } from "./CollectorError.js";
export {
  DEFAULT_PUBLIC_EVENT_TYPES,
  loadGameKeys,
  parseGameKeys,
  type GameKey,
  type GameKeys,
  type PublicKey,
  type SecretKey,
} from "./auth/GameKeys.js";
export { IngestHeaders, SIGNATURE_PREFIX, sign, stringToSign } from "./auth/Signature.js";
export { CollectorDeadLetterHeaders } from "./ingest/records.js";
export type { IngestResponse } from "./ingest/Ingest.js";
export { createKafkaProducer, type RecordProducer } from "./kafka/KafkaProducer.js";
export { MetricHelp, MetricNames } from "./ops/MetricNames.js";
export { createCollectorMetrics, type CollectorMetrics } from "./ops/Metrics.js";
export { parseCli, type CliResult } from "./cli.js";
