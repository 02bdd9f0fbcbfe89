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
export type { Arrival } from "./internal/StreamTime.js";
