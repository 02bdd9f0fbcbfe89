import { startPrivateStack } from "@gametel/devstack/control";
import { processorFaultSuite } from "@gametel/runtime/testing";
import { rdkafka } from "./support.js";

// Faults beyond SIGKILL on a private stack this file starts (its broker and MongoDB are stopped and paused): broker
// restart, MongoDB hung and restarted, a zombie, scale-out and scale-in; each ends with the exact recomputation.
processorFaultSuite(rdkafka, {
  startStack: () => startPrivateStack({ log: (line) => console.log(`private stack: ${line}`) }),
  log: (line) => console.log(line),
});
