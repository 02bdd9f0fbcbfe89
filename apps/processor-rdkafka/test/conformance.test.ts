import { kafkaBrokers } from "@gametel/devstack";
import { describeEngineConformance } from "@gametel/runtime/testing";
import { createRdkafkaEngine } from "../src/RdkafkaEngine.js";

describeEngineConformance("rdkafka", {
  brokers: kafkaBrokers(),
  createEngine: (config, logger) => createRdkafkaEngine(config, { logger }),
});
