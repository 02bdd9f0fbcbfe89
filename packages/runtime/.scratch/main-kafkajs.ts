import { createProcessorLogger, loadConfigOrExit, startProcessor } from "@gametel/runtime";
import { createKafkajsEngine } from "../../../apps/processor-kafkajs/src/KafkajsEngine.js";

const config = loadConfigOrExit("scratch-kafkajs");
const logger = createProcessorLogger({ level: config.logLevel, bindings: { app: "scratch", engine: "kafkajs" } });
const engine = createKafkajsEngine(config, { logger });
const { processor, done } = await startProcessor({ config, engine, logger });
for (const s of ["SIGTERM", "SIGINT"] as const) process.once(s, () => void processor.stop());
try {
  await done;
  logger.info({ totals: processor.totals }, "done");
  process.exitCode = 0;
} catch (err) {
  logger.error({ err }, "processor failed");
  process.exitCode = 1;
}
