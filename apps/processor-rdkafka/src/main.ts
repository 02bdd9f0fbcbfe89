#!/usr/bin/env node
// The rdkafka processor: the shared processor main (flags/env config, logging, signals) with the rdkafka engine.
import { runProcessorMain } from "@gametel/runtime";
import { createRdkafkaEngine } from "./RdkafkaEngine.js";

await runProcessorMain({
  name: "gametel-processor-rdkafka",
  engineName: "rdkafka",
  createEngine: createRdkafkaEngine,
});
