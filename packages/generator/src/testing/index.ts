// @gametel/generator/testing: checking what a generator run wrote, independently of the generator's bookkeeping.
export { ndjsonLines, recount, type Recount } from "./recount.js";
// Registers the snappy codec with kafkajs in this process, so a test's kafkajs consumer reads snappy batches.
export { kafkaCompression } from "../sinks/KafkaSink.js";
