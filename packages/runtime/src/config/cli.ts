import { ExitCode } from "@gametel/ops";
import type { ProcessorConfig } from "./ProcessorConfig.js";
import { parseProcessorArgs } from "./parse.js";

/** Exit code for an invalid configuration (as with a usage error): `ExitCode.usage` of `@gametel/ops`. */
export const EXIT_INVALID_CONFIG = ExitCode.usage;

/**
 * The apps' entry: parse `process.argv` and `process.env`; print help and exit 0, or print ONE line and exit 2
 * on invalid configuration; otherwise return the configuration.
 */
export function loadConfigOrExit(
  name: string,
  argv = process.argv.slice(2),
  env = process.env,
): ProcessorConfig {
  const outcome = parseProcessorArgs(argv, env, name);
  if (outcome.kind === "help") {
    process.stdout.write(outcome.text);
    process.exit(0);
  }
  if (outcome.kind === "error") {
    process.stderr.write(`${name}: invalid configuration: ${outcome.message}\n`);
    process.exit(EXIT_INVALID_CONFIG);
  }
  return outcome.config;
}
