#!/usr/bin/env node
// The kafkajs processor: the shared processor main (flags/env config, logging, signals) with the kafkajs engine.
import { runProcessorMain } from "@gametel/runtime";
import { createKafkajsEngine } from "./KafkajsEngine.js";

await runProcessorMain({
  name: "gametel-processor-kafkajs",
  engineName: "kafkajs",
  createEngine: createKafkajsEngine,
});
