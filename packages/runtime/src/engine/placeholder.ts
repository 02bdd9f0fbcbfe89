import type { ProcessorConfig } from "../config/ProcessorConfig.js";
import type { Logger } from "../ops/Logger.js";
import { topicPartitionKey, type Engine } from "./Engine.js";

/**
 * TODO(issue 4, processing loop): placeholder until `runProcessor(config, engine, logger)` exists. Runs the
 * engine with handlers that only count records and commit after each batch; stops on SIGTERM/SIGINT or, with
 * `--exit-when-caught-up`, once the group has no lag. Resolves to the process exit code.
 */
export async function runCountingPlaceholder(
  config: ProcessorConfig,
  engine: Engine,
  logger: Logger,
): Promise<number> {
  const counts = new Map<string, number>();
  let failure: Error | null = null;
  let wake: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (wake = resolve));

  const stopOn = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "stopping");
    wake();
  };
  process.once("SIGTERM", stopOn);
  process.once("SIGINT", stopOn);

  await engine.start({
    onAssigned: async (partitions) =>
      logger.info({ partitions: partitions.map(topicPartitionKey) }, "assigned"),
    onRevoked: async (partitions) =>
      logger.info({ partitions: partitions.map(topicPartitionKey) }, "revoked"),
    onBatch: async (batch) => {
      const key = topicPartitionKey(batch);
      counts.set(key, (counts.get(key) ?? 0) + batch.records.length);
      const last = batch.records[batch.records.length - 1]!;
      await engine.commit([{ topic: batch.topic, partition: batch.partition, offset: last.offset + 1n }]);
    },
    onError: (error) => {
      failure = error;
      wake();
    },
  });

  const report = setInterval(
    () =>
      logger.info({ records: Object.fromEntries(counts) }, "records so far (placeholder: no processing yet)"),
    10_000,
  );
  const watcher = config.exitWhenCaughtUp
    ? setInterval(() => {
        engine.caughtUp().then(
          (caughtUp) => caughtUp && wake(),
          (error: unknown) => logger.warn({ err: error }, "lag check failed"),
        );
      }, 1000)
    : undefined;

  await done;
  clearInterval(report);
  clearInterval(watcher);
  process.off("SIGTERM", stopOn);
  process.off("SIGINT", stopOn);
  await engine.stop();
  logger.info({ records: Object.fromEntries(counts) }, "stopped");
  if (failure !== null) {
    logger.error({ err: failure }, "engine failed");
    return 1;
  }
  return 0;
}
