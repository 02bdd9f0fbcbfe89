import { processorScenarioSuite } from "@gametel/runtime/testing";
import { kafkajs } from "./support.js";

// End to end against the local broker and MongoDB server: correctness, hostile input, SIGKILLs and a rebalance,
// MongoDB compared with an independent recomputation (the shared scenarios of @gametel/runtime/testing).
processorScenarioSuite(kafkajs, { log: (line) => console.log(line) });
