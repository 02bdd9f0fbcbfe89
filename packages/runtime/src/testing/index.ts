// @gametel/runtime/testing: end-to-end scenarios and suites shared by the processor apps' tests, the engine
// conformance kit, and verification (an independent recomputation of arena's results).
export {
  commitKillScenario,
  correctnessScenario,
  crashScenario,
  enginesAgreeScenario,
  rebalanceScenario,
  type CommitKill,
  type EnginesAgreeReport,
  type ResultsCheck,
  type ResultsCheckOutcome,
  type ScenarioCounts,
  type ScenarioOptions,
  type ScenarioReport,
} from "./scenarios.js";
export {
  knowsFlag,
  launch,
  processorFlags,
  runToCaughtUp,
  waitForExit,
  type ProcessorLauncher,
  type RunningProcessor,
  type ScenarioTarget,
} from "./launcher.js";
export {
  committedTotal,
  createTopic,
  deleteTopics,
  produceRecords,
  readTopic,
  topicOffsets,
  type ReadRecord,
  type ScenarioRecord,
} from "./kafka.js";
export {
  BROKER_DEFAULT_OVERSIZED_BYTES,
  OVERSIZED_BYTES,
  withHostileInput,
  type HostileInput,
} from "./hostileInput.js";
export {
  processorStartFailureSuite,
  processorStartFailures,
  type StartFailureCase,
} from "./startFailures.js";
export { describeEngineConformance, type EngineConformanceOptions } from "./engineConformance.js";
export { InMemoryTaskStore } from "../store/InMemoryTaskStore.js";
export { compareResults, type EventCounts, type ResultDoc, type Results } from "../verify/Results.js";
export {
  recomputeExpected,
  type ExpectedResults,
  type RecomputeOptions,
} from "../verify/recomputeExpected.js";
export { readCounts, readResults } from "../verify/readResults.js";
export { processorCliSuite, processorMainSuite } from "./processorMain.js";
export { processorProgram, sourceLauncher } from "./sourceLauncher.js";
export { generatedDataset, hostileDataset, type GeneratedDataset } from "./generatedDataset.js";
export { expectExact } from "./expectExact.js";
export { processorScenarioSuite } from "./scenarioSuite.js";
export {
  brokerRestartScenario,
  mongoFaultsScenario,
  scaleScenario,
  scrapeMetric,
  zombieScenario,
  type FaultOptions,
  type FaultReport,
  type FaultService,
  type FaultStack,
} from "./faults.js";
export { processorFaultSuite, type StartFaultStack } from "./faultSuite.js";
