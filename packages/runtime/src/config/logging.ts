import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import type { LogLevel } from "./ProcessorConfig.js";

export interface ProcessorLoggerOptions {
  readonly level: LogLevel;
  /** Bound to every line, e.g. { engine: "kafkajs" }. */
  readonly bindings?: Record<string, unknown>;
  /** Where JSON lines go; stdout by default. */
  readonly destination?: DestinationStream;
}

/**
 * Paths pino censors even if a secret is logged by mistake in plain form (Secret values mask themselves anyway).
 */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "*.*.password",
  "sasl.password",
  "*.sasl.password",
  '["sasl.password"]',
  '*["sasl.password"]',
];

/** Structured JSON logs (pino): one object per line, ISO time, level names, secrets censored. */
export function createProcessorLogger(options: ProcessorLoggerOptions): PinoLogger {
  return pino(
    {
      level: options.level,
      base: { ...options.bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination,
  );
}
