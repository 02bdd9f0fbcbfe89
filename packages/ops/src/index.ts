export { ExitCode } from "./ExitCode.js";
export { REDACTED_PATHS, createAppLogger, type AppLogLevel, type AppLoggerOptions } from "./AppLogger.js";
export { kafkajsLogCreator, type LevelLogger } from "./kafkajsLogs.js";
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  UnreachableError,
  maskUriPassword,
  reachKafka,
  reachMongo,
  type ReachOptions,
} from "./Reachability.js";
export { exitOnStartFailure } from "./StartFailure.js";
export { LOG_LINE_SHAPE, checkLogLine } from "./LogShape.js";
export {
  KAFKA_SASL_MECHANISMS,
  KAFKA_SECURITY_HELP,
  KAFKA_SECURITY_PROTOCOLS,
  KafkaSecurityError,
  kafkajsSecurity,
  type KafkaSecurityInput,
} from "./KafkaSecurity.js";
