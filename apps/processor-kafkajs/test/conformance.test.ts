import { kafkaBrokers } from "@gametel/devstack";
import { describeEngineConformance } from "@gametel/runtime/conformance";
import { createKafkajsEngine } from "../src/KafkajsEngine.js";

describeEngineConformance("kafkajs", {
  brokers: kafkaBrokers(),
  createEngine: (config, logger) => createKafkajsEngine(config, { logger }),
});
