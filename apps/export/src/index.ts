export {
  createExporter,
  ExportAbortedError,
  type Exporter,
  type ExporterDeps,
  type ExportProgress,
  type ExportSummary,
  type TableSummary,
} from "./Exporter.js";
export {
  EXPORT_DEFAULTS,
  resolveExportConfig,
  type ExportConfig,
  type ExportConfigInput,
} from "./ExportConfig.js";
export { ExportError } from "./ExportError.js";
export { EMPTY_STATE, loadState, type ExportState, type PendingExport } from "./ExportState.js";
export {
  createKafkaEventsSource,
  type EventRecord,
  type EventsSource,
  type OffsetRange,
} from "./EventsSource.js";
export { EVENTS_TABLE, INVALID_GAME } from "./EventsTable.js";
export {
  INSIGHT_TABLES,
  insightTable,
  type Column,
  type ColumnType,
  type InsightTable,
  type InsightTableName,
} from "./Tables.js";
export {
  ident,
  landingTable,
  mergeSql,
  snowflakeSql,
  tablesDdl,
  type SnowflakeSqlOptions,
  type SqlDialect,
} from "./SnowflakeSql.js";
