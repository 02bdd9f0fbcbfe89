import { pino, type DestinationStream, type Level, type Logger } from "pino";
import { build as prettyStream } from "pino-pretty";

export type AppLogLevel = Level | "silent";

export interface AppLoggerOptions {
  /** Program name, bound to every line as `app`. */
  readonly app: string;
  readonly level: AppLogLevel;
  /** More fields bound to every line, e.g. { engine: "kafkajs" }. */
  readonly bindings?: Record<string, unknown>;
  /** Where lines go; file descriptor 1 (stdout) by default, 2 for apps whose stdout carries data. */
  readonly destination?: DestinationStream | 1 | 2;
  /** Human-readable lines instead of JSON; default: when the destination is a terminal. */
  readonly pretty?: boolean;
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

/**
 * The one log shape of every gametel app: pino JSON lines with `level` as a name ("info"), `time` as ISO 8601 UTC,
 * `app` and the bindings, `msg`; errors under `err` with type, message and stack. On a terminal the same
 * lines are printed by pino-pretty instead.
 *
 * @example
 * const logger = createAppLogger({ app: "gametel-dashboard", level: "info" });
 * logger.info({ url }, "dashboard listening");
 * // {"level":"info","time":"2026-12-07T17:00:00.000Z","app":"gametel-dashboard","url":"…","msg":"dashboard listening"}
 */
export function createAppLogger(options: AppLoggerOptions): Logger {
  const fd = typeof options.destination === "number" ? options.destination : 1;
  const custom = typeof options.destination === "object" ? options.destination : undefined;
  const pretty = options.pretty ?? (custom === undefined && isTerminal(fd));
  const destination =
    custom ??
    (pretty
      ? prettyStream({ destination: fd, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" })
      : pino.destination({ dest: fd, sync: true }));
  return pino(
    {
      level: options.level,
      base: { app: options.app, ...options.bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination,
  );
}

const isTerminal = (fd: 1 | 2): boolean => (fd === 1 ? process.stdout.isTTY : process.stderr.isTTY) === true;
