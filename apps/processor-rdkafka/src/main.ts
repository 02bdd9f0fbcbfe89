#!/usr/bin/env node
import {
  createProcessorLogger,
  describeConfig,
  loadConfigOrExit,
  runCountingPlaceholder,
} from "@gametel/runtime";
import { createRdkafkaEngine } from "./RdkafkaEngine.js";

const NAME = "gametel-processor-rdkafka";

const config = loadConfigOrExit(NAME);
const logger = createProcessorLogger({ level: config.logLevel, bindings: { app: NAME, engine: "rdkafka" } });
logger.info({ config: describeConfig(config) }, "starting");
const engine = createRdkafkaEngine(config, { logger });

// TODO(issue 4, processing loop): `process.exitCode = await runProcessor(config, engine, logger)` once the
// runtime has it; until then the engine runs with handlers that only count records and commit.
process.exitCode = await runCountingPlaceholder(config, engine, logger);
