import { loadConfigOrExit } from "../config/cli.js";
import { describeConfig } from "../config/describe.js";
import { createProcessorLogger } from "../config/logging.js";
import type { ProcessorConfig } from "../config/ProcessorConfig.js";
import type { Engine } from "../engine/Engine.js";
import type { Logger } from "../ops/Logger.js";
import type { Processor } from "./Processor.js";
import { startProcessor } from "./runProcessor.js";

/** What a processor app's `main` differs in: its name and its engine. */
export interface ProcessorMainOptions {
  /** Program name for help, error lines and logs, e.g. "gametel-processor-rdkafka". */
  readonly name: string;
  /** Engine name bound into every log line, e.g. "rdkafka". */
  readonly engineName: string;
  readonly createEngine: (config: ProcessorConfig, options: { logger: Logger }) => Engine;
}

/**
 * The whole `main` of a processor app: configuration from flags and environment (help → exit 0, invalid →
 * one line and exit 2), a JSON logger, the engine, and the processing loop until it stops.
 *
 * SIGTERM/SIGINT finish the batch, flush, commit, leave the group and exit 0. They are caught from the start,
 * so a signal that arrives while starting stops the processor once started; a second signal kills at once
 * (Node's default, the handlers are `once`). A failure logs one error line and exits 1.
 *
 * @example
 * // apps/processor-foo/src/main.ts
 * await runProcessorMain({ name: "gametel-processor-foo", engineName: "foo", createEngine: createFooEngine });
 */
export async function runProcessorMain(options: ProcessorMainOptions): Promise<void> {
  const { name, engineName } = options;
  const config = loadConfigOrExit(name);
  const logger = createProcessorLogger({
    level: config.logLevel,
    bindings: { app: name, engine: engineName },
  });
  logger.info({ config: describeConfig(config) }, "starting");
  const engine = options.createEngine(config, { logger });

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
    // Everything is flushed and committed: exit even if a client still holds the event loop open.
    setTimeout(() => process.exit(0), 10_000).unref();
  } catch (error) {
    logger.error({ err: error }, "processor failed: exiting with code 1");
    process.exitCode = 1;
    await engine.stop().catch(() => undefined);
    // Exit even if a client still holds the event loop open.
    setTimeout(() => process.exit(1), 10_000).unref();
  }
}
