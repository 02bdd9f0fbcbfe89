import { describeEngineConformance } from "@gametel/runtime/conformance";
import { createKafkajsEngine } from "../src/KafkajsEngine.js";

describeEngineConformance("kafkajs", { createEngine: (config, logger) => createKafkajsEngine(config, { logger }) });
