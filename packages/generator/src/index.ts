export { createGenerator, DEFAULT_START_TIME } from "./Generator.js";
export type {
  DuplicateRecord,
  EventRecord,
  GeneratedRecord,
  Generator,
  GeneratorOptions,
  MalformedRecord,
} from "./Generator.js";
export type { MalformedFormat, MalformedVariant } from "./Malformed.js";
export type { GeneratorSummary } from "./Summary.js";
export type { Arrival } from "./StreamTime.js";

// Running a generator into a target, paced (what the gametel-generator CLI does).
export { runGenerator, type RunOptions, type RunProgress, type RunResult, type StopReason } from "./run.js";
export { createSink, type SinkTarget } from "./sinks/createSink.js";
export type { Sink } from "./sinks/Sink.js";
export { KAFKA_COMPRESSIONS, type KafkaCompression } from "./sinks/Compression.js";
export { eventsPerGameSecond, sizeForRate, type Sizing } from "./Calibrate.js";
