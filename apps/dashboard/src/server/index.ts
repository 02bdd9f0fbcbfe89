// @gametel/dashboard: the insights dashboard and the OData v4 feed, for embedding and tests.
export {
  createDashboard,
  type Dashboard,
  type DashboardDeps,
  type DashboardLogger,
} from "./createDashboard.js";
export { DashboardConfigError, loadConfig, type DashboardConfig } from "./config.js";
export { DEFAULT_LIMITS, type DashboardLimits } from "./guard/Limits.js";
export { mongoClientOptions } from "./mongoClientOptions.js";
export { ENTITY_SETS, type EdmType, type EntityProperty, type EntitySetSpec } from "./odata/EntitySets.js";
export { readDeadLetters, type DeadLetterSource } from "./health/DeadLetterReader.js";
export {
  createPipelineHealth,
  type PipelineHealth,
  type PipelineHealthOptions,
} from "./health/PipelineHealth.js";
export type * from "./api/ViewTypes.js";
