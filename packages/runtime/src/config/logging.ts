import { createAppLogger } from "@gametel/ops";
import type { DestinationStream, Logger as PinoLogger } from "pino";
import type { LogLevel } from "./ProcessorConfig.js";

export interface ProcessorLoggerOptions {
  readonly level: LogLevel;
  /** Bound to every line, e.g. { app: "gametel-processor-kafkajs", engine: "kafkajs" }. */
  readonly bindings?: Record<string, unknown>;
  /** Where JSON lines go; stdout by default (pretty on a terminal). */
  readonly destination?: DestinationStream;
}

/** The apps' one log shape (`@gametel/ops` `createAppLogger`): JSON lines, ISO time, level names, secrets censored. */
export function createProcessorLogger(options: ProcessorLoggerOptions): PinoLogger {
  const { app, ...bindings } = options.bindings ?? {};
  return createAppLogger({
    app: typeof app === "string" ? app : "gametel-processor",
    level: options.level,
    bindings,
    ...(options.destination !== undefined ? { destination: options.destination } : {}),
  });
}
