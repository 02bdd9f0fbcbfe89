#!/usr/bin/env node
// The racing game's processor on the rdkafka engine: gametel's processor main with the racing model.
import { createRdkafkaEngine } from "@gametel/processor-rdkafka";
import { runProcessorMain } from "@gametel/runtime";
import { racingModel } from "./RacingModel.js";

await runProcessorMain({
  name: "racing-processor-rdkafka",
  engineName: "rdkafka",
  createEngine: createRdkafkaEngine,
  model: (config) =>
    racingModel({
      windowSizeMs: config.windowSizeMs,
      graceMs: config.graceMs,
      maxEventBytes: config.maxEventBytes,
    }),
});
