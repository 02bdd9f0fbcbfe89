import { ExitCode, exitOnStartFailure } from "@gametel/ops";
import { loadConfigOrExit } from "../config/cli.js";
import { describeConfig } from "../config/describe.js";
import { createProcessorLogger } from "../config/logging.js";
import { reachProcessorDependencies } from "../config/reach.js";
import type { ProcessorConfig } from "../config/ProcessorConfig.js";
import type { Engine } from "../engine/Engine.js";
import type { Logger } from "../ops/Logger.js";
import { createMetrics, type RuntimeMetrics } from "../ops/Metrics.js";
import type { Processor } from "./Processor.js";
import type { StreamModel } from "./StreamModel.js";
import { startProcessor } from "./runProcessor.js";

/** What a processor app's `main` differs in: its name and its engine. */
export interface ProcessorMainOptions {
  /** Program name for help, error lines and logs, e.g. "gametel-processor-rdkafka". */
  readonly name: string;
  /** Engine name bound into every log line, e.g. "rdkafka". */
  readonly engineName: string;
  /** The engine; `metrics` is the registry `/metrics` serves (the engine's broker-outage gauge goes there). */
  readonly createEngine: (
    config: ProcessorConfig,
    options: { logger: Logger; metrics: RuntimeMetrics },
  ) => Engine;
  /**
   * The game's model from the configuration (default: arena's). A game built on core's extension API passes its own
   * declaration; `--window-ms`, `--grace-ms` and `--max-event-bytes` are in `config`.
   */
  readonly model?: (config: ProcessorConfig) => StreamModel<unknown>;
}

/**
 * The whole `main` of a processor app: configuration from flags and environment (help → exit 0, invalid →
 * one line and exit 2), the apps' one logger, a check that Kafka and MongoDB answer within `--connect-timeout-ms`
 * (else one line on stderr and exit 3), the engine, and the processing loop until it stops.
 *
 * SIGTERM/SIGINT finish the batch, flush, commit, leave the group and exit 0. They are caught from the start,
 * so a signal that arrives while starting stops the processor once started; a second signal kills at once
 * (Node's default, the handlers are `once`). A failure logs one error line and exits 1 (`ExitCode` of
 * `@gametel/ops`).
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
  await reachProcessorDependencies(config, logger).catch((error: unknown) =>
    exitOnStartFailure(name, error, { logger }),
  );
  const metrics = createMetrics();
  const engine = options.createEngine(config, { logger, metrics });

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
    const started = await startProcessor({
      config,
      engine,
      logger,
      metrics,
      ...(options.model === undefined ? {} : { model: options.model(config) }),
    });
    processor = started.processor;
    if (stopRequested) stop();
    await started.done;
    process.exitCode = ExitCode.ok;
    // Everything is flushed and committed: exit even if a client still holds the event loop open.
    setTimeout(() => process.exit(ExitCode.ok), 10_000).unref();
  } catch (error) {
    logger.error({ err: error }, "processor failed: exiting with code 1");
    process.exitCode = ExitCode.runtimeFailure;
    await engine.stop().catch(() => undefined);
    // Exit even if a client still holds the event loop open.
    setTimeout(() => process.exit(ExitCode.runtimeFailure), 10_000).unref();
  }
}
