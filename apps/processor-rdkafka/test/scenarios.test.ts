import { processorScenarioSuite } from "@gametel/runtime/testing";
import { rdkafka } from "./support.js";

// End to end against the local broker and MongoDB server: correctness, hostile input, SIGKILLs and a rebalance,
// MongoDB compared with an independent recomputation (the shared scenarios of @gametel/runtime/testing).
processorScenarioSuite(rdkafka, { log: (line) => console.log(line) });
