import { kafkaBrokers } from "@gametel/devstack";
import { describeEngineConformance } from "@gametel/runtime/testing";
import { createKafkajsEngine } from "../src/KafkajsEngine.js";

describeEngineConformance("kafkajs", {
  brokers: kafkaBrokers(),
  createEngine: (config, logger) => createKafkajsEngine(config, { logger }),
});
