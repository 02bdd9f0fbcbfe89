/**
 * The logger the runtime writes to: pino's call shape `(fields, message)`, so a pino instance fits as it is
 * (structured JSON lines). Errors go in `fields.err`.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const drop = (): void => undefined;

/** A logger that drops everything (unit tests). */
export const silentLogger: Logger = { debug: drop, info: drop, warn: drop, error: drop };
