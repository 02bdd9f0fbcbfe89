#!/usr/bin/env node
import {
  createProcessorLogger,
  describeConfig,
  loadConfigOrExit,
  startProcessor,
  type Processor,
} from "@gametel/runtime";
import { createKafkajsEngine } from "./KafkajsEngine.js";

const NAME = "gametel-processor-kafkajs";

const config = loadConfigOrExit(NAME);
const logger = createProcessorLogger({ level: config.logLevel, bindings: { app: NAME, engine: "kafkajs" } });
logger.info({ config: describeConfig(config) }, "starting");
const engine = createKafkajsEngine(config, { logger });

// SIGTERM/SIGINT: finish the batch, flush, commit, leave the group, exit 0. Caught from the start, so a signal
// that arrives while starting stops the processor once started; a second signal kills at once.
let processor: Processor | undefined;
let stopRequested = false;
// A failed stop also rejects `done`, which is where it is reported.
const stop = () => void processor?.stop().catch(() => undefined);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    stopRequested = true;
    stop();
  });
}

try {
  const started = await startProcessor({ config, engine, logger });
  processor = started.processor;
  if (stopRequested) stop();
  await started.done;
  process.exitCode = 0;
} catch (error) {
  logger.error({ err: error }, "processor failed: exiting with code 1");
  process.exitCode = 1;
  await engine.stop().catch(() => undefined);
  // Exit even if a client still holds the event loop open.
  setTimeout(() => process.exit(1), 10_000).unref();
}
