import { Command, CommanderError, Option } from "commander";
import type { ProcessorConfig } from "./ProcessorConfig.js";
import { OPTIONS, SECRET_ENV } from "./options.js";
import { ConfigError, buildConfig, type RawOptions } from "./validate.js";

export type ParseOutcome =
  | { readonly kind: "config"; readonly config: ProcessorConfig }
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "error"; readonly message: string };

const HELP_FOOTER = `
Every option can also be set by the environment variable named in brackets; a flag wins over the environment.
Secrets come from the environment only and are never logged:
  ${SECRET_ENV.saslUsername}, ${SECRET_ENV.saslPassword}   SASL credentials (SASL_SSL, SASL_PLAINTEXT)
  MONGODB_URI carries MongoDB credentials (mongodb+srv://user:password@cluster/...)

Confluent Cloud: --kafka-security-protocol SASL_SSL --kafka-sasl-mechanism PLAIN (API key and secret as username
and password). MongoDB Atlas: a mongodb+srv:// URI (TLS is implied).`;

function program(name: string): Command {
  const command = new Command(name)
    .description(
      "gametel stream processor: telemetry events from Kafka to per-player insights in MongoDB and Kafka",
    )
    .helpOption("-h, --help", "show this help")
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })
    // A fixed width, so the help is the same whatever the terminal.
    .configureHelp({ helpWidth: 110 });
  for (const spec of OPTIONS) {
    const option = new Option(spec.flags, `${spec.description} [${spec.env}]`).helpGroup(spec.group);
    if (spec.defaultValue !== undefined) option.default(spec.defaultValue, spec.defaultValue);
    command.addOption(option);
  }
  return command;
}

/** The help text, identical for both engines except for the program name. */
export function processorHelp(name: string): string {
  return `${program(name).helpInformation()}${HELP_FOOTER}\n`;
}

/**
 * Parses command-line arguments (without node and script) and environment into a validated configuration.
 * Pure apart from checking that named CA files are readable: no exit, no output.
 */
export function parseProcessorArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  name = "gametel-processor",
): ParseOutcome {
  // `pnpm start -- --flags` passes the separator through; drop it so the flags are parsed.
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  const command = program(name);
  try {
    command.parse(args, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.help") {
        return { kind: "help", text: processorHelp(name) };
      }
      return { kind: "error", message: error.message.replace(/^error: /, "") };
    }
    throw error;
  }
  const opts = command.opts<Record<string, string | boolean | undefined>>();
  const raw: RawOptions = {};
  for (const spec of OPTIONS) {
    const flag = spec.flags.split(" ")[0]!;
    const source = command.getOptionValueSource(spec.key);
    const fromEnv = env[spec.env];
    const value = opts[spec.key];
    if (source === "cli" && value !== undefined) raw[spec.key] = { value, source: flag };
    else if (fromEnv !== undefined && fromEnv !== "") raw[spec.key] = { value: fromEnv, source: spec.env };
    else if (value !== undefined) raw[spec.key] = { value, source: "default" };
  }
  try {
    return { kind: "config", config: buildConfig(raw, env) };
  } catch (error) {
    if (error instanceof ConfigError) return { kind: "error", message: error.message };
    throw error;
  }
}
