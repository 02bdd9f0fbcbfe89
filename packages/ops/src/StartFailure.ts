import { ExitCode } from "./ExitCode.js";
import { UnreachableError } from "./Reachability.js";
import type { LevelLogger } from "./kafkajsLogs.js";

/**
 * Ends a program that could not start: ONE line `<program>: <message>` on stderr, the error with its stack only in
 * the debug log, and the exit code of its kind (3 for an unreachable dependency, 2 for usage/config, 1 otherwise).
 */
export function exitOnStartFailure(
  program: string,
  error: unknown,
  options: { readonly logger?: LevelLogger; readonly exitCode?: ExitCode } = {},
): never {
  options.logger?.debug({ err: error }, "start failed");
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
  process.stderr.write(`${program}: ${message}\n`);
  process.exit(
    options.exitCode ?? (error instanceof UnreachableError ? ExitCode.unreachable : ExitCode.runtimeFailure),
  );
}
