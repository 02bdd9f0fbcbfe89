import { kafkaBrokers } from "@gametel/devstack";
import { describeEngineConformance } from "@gametel/runtime/conformance";
import { createRdkafkaEngine } from "../src/RdkafkaEngine.js";

describeEngineConformance("rdkafka", {
  brokers: kafkaBrokers(),
  createEngine: (config, logger) => createRdkafkaEngine(config, { logger }),
});
