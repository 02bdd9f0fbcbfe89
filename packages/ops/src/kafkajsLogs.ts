import { logLevel as KafkajsLogLevel, type logCreator } from "kafkajs";

/** The part of a pino logger kafkajs' lines are routed into. */
export interface LevelLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * Routes kafkajs' own log lines into the app's logger (`component: kafkajs.<namespace>`, kafkajs' level), dropping
 * kafkajs' `timestamp` and `logger` so every line keeps the app's one shape. `errorsAsWarnings`: kafkajs logs
 * retriable broker answers ("coordinator is loading") as errors and retries them; an app that sees every real
 * failure as a rejected call can log them as warnings.
 */
export function kafkajsLogCreator(
  logger: LevelLogger,
  options: { readonly errorsAsWarnings?: boolean } = {},
): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const {
        message,
        timestamp: _timestamp,
        logger: _name,
        level: _level,
        ...fields
      } = log as typeof log & {
        level?: unknown;
      };
      const entry = { ...fields, component: `kafkajs.${namespace}` };
      if (level === KafkajsLogLevel.ERROR && options.errorsAsWarnings !== true) logger.error(entry, message);
      else if (level === KafkajsLogLevel.ERROR) logger.warn(entry, message);
      else if (level === KafkajsLogLevel.WARN) logger.warn(entry, message);
      else if (level === KafkajsLogLevel.INFO) logger.info(entry, message);
      else logger.debug(entry, message);
    };
}
