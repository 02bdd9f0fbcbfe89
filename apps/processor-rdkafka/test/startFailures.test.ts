import { fileURLToPath } from "node:url";
import { kafkaBrokers, mongoUri } from "@gametel/devstack";
import { processorStartFailureSuite } from "@gametel/runtime/testing";

// The built command (what its bin runs), one case at a time: unreachable broker or MongoDB, a bad flag.
processorStartFailureSuite({
  program: "gametel-processor-rdkafka",
  cwd: fileURLToPath(new URL("..", import.meta.url)),
  brokers: kafkaBrokers().join(","),
  mongoUri: mongoUri(),
});
