import { MongoClient } from "mongodb";
import type { Db } from "mongodb";
import type { ProcessorConfig } from "../config/ProcessorConfig.js";
import { toMongoClientOptions } from "../config/mongo.js";
import type { Engine } from "../engine/Engine.js";
import type { Logger } from "../ops/Logger.js";
import type { RuntimeMetrics } from "../ops/Metrics.js";
import { createMetrics } from "../ops/Metrics.js";
import { startOpsServer } from "../ops/OpsServer.js";
import { arenaModel } from "./ArenaModel.js";
import type { LoopConfig } from "./LoopConfig.js";
import type { Processor } from "./Processor.js";
import { createProcessor } from "./Processor.js";
import type { StreamModel } from "./StreamModel.js";

export interface RunProcessorDeps<E = unknown> {
  readonly config: ProcessorConfig;
  /**
   * The game's model (default: arena's, `arenaModel` with the configured window, grace and event size). Another
   * game passes its own declaration; see examples/racing.
   */
  readonly model?: StreamModel<E>;
  readonly engine: Engine;
  readonly logger: Logger;
  /** A connected database; when absent, one is connected from `config.mongo` and closed at the end. */
  readonly db?: Db;
  readonly metrics?: RuntimeMetrics;
}

/** The loop's part of the apps' configuration. */
export function loopConfig(config: ProcessorConfig): LoopConfig {
  return {
    inputTopic: config.topics.input,
    dlqTopic: config.topics.dlq,
    outputTopic: config.topics.output,
    lateTopic: config.topics.late,
    cacheSize: config.cacheSize,
    commitIntervalMs: config.commitIntervalMs,
    commitMaxRecords: config.commitMaxRecords,
    commitMaxBytes: config.commitMaxBytes,
    // Test only (the kill-inside-a-commit scenario); documented in docs/processing-design.md.
    testPauseInCommitMs: Number(process.env.GAMETEL_TEST_PAUSE_IN_COMMIT_MS ?? 0) || 0,
    exitWhenCaughtUp: config.exitWhenCaughtUp,
    eventTimeBounds: { maxFutureMs: config.maxFutureMs, floorMs: config.minEventTimeMs },
    deadLetterMaxBytes: config.deadLetterMaxBytes,
  };
}

export interface StartedProcessor {
  readonly processor: Processor;
  /** Resolves once stopped (caught up or `processor.stop()`, e.g. on SIGTERM) and cleaned up; rejects on failure. */
  readonly done: Promise<void>;
}

/**
 * Connects MongoDB (unless given), starts the ops server (when `metricsPort` > 0) and the processor; `done` settles
 * after everything is closed again. Apps call `processor.stop()` on SIGTERM/SIGINT.
 */
export async function startProcessor<E>(deps: RunProcessorDeps<E>): Promise<StartedProcessor> {
  const { config, engine, logger } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const client =
    deps.db === undefined
      ? new MongoClient(config.mongo.uri.reveal(), toMongoClientOptions(config.mongo))
      : undefined;
  const db = deps.db ?? (await client!.connect()).db(config.mongo.db);
  const processor = createProcessor({
    config: loopConfig(config),
    engine,
    db,
    logger,
    metrics,
    model:
      deps.model ??
      (arenaModel({
        windowSizeMs: config.windowSizeMs,
        graceMs: config.graceMs,
        maxEventBytes: config.maxEventBytes,
      }) as unknown as StreamModel<E>),
  });
  const ops =
    config.metricsPort > 0
      ? await startOpsServer({
          port: config.metricsPort,
          registry: metrics.registry,
          ready: () => processor.ready(),
          healthy: () => processor.healthy(),
          logger,
        })
      : undefined;
  const cleanup = async () => {
    await ops?.close();
    await client?.close();
  };
  try {
    await processor.start();
  } catch (error) {
    await cleanup();
    throw error;
  }
  const done = processor.done.then(
    () => cleanup(),
    async (error: unknown) => {
      await cleanup().catch(() => undefined);
      throw error;
    },
  );
  return { processor, done };
}

/** startProcessor and wait: resolves when the processor stopped cleanly (exit 0), rejects on failure (exit 1). */
export async function runProcessor<E>(deps: RunProcessorDeps<E>): Promise<Processor> {
  const { processor, done } = await startProcessor(deps);
  await done;
  return processor;
}
