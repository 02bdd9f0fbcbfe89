#!/usr/bin/env node
// The racing game's processor on the kafkajs engine: gametel's processor main with the racing model.
import { createKafkajsEngine } from "@gametel/processor-kafkajs";
import { runProcessorMain } from "@gametel/runtime";
import { racingModel } from "./RacingModel.js";

await runProcessorMain({
  name: "racing-processor-kafkajs",
  engineName: "kafkajs",
  createEngine: createKafkajsEngine,
  model: (config) =>
    racingModel({
      windowSizeMs: config.windowSizeMs,
      graceMs: config.graceMs,
      maxEventBytes: config.maxEventBytes,
    }),
});
