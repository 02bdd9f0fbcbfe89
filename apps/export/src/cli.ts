import { Command, InvalidArgumentError, Option } from "commander";
import { EXPORT_DEFAULTS, resolveExportConfig, type ExportConfig } from "./ExportConfig.js";
import { INSIGHT_TABLES } from "./Tables.js";

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_MONGODB_URI = "mongodb://localhost:27017/?directConnection=true";
export const DEFAULT_KAFKA_BROKERS = "localhost:9092";

export type ProgressMode = "auto" | "bar" | "lines" | "off";

export type CliCommand =
  | {
      readonly kind: "export";
      readonly config: ExportConfig;
      readonly mongoUri: string;
      readonly database: string;
      readonly brokers: readonly string[];
      readonly progress: ProgressMode;
    }
  | {
      readonly kind: "sql";
      readonly stageUrl: string;
      readonly storageIntegration: string;
      readonly snowpipe: boolean;
      readonly tables: readonly string[] | undefined;
    };

const integer = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError("expected an integer >= 0.");
  return n;
};
const instant = (value: string): number => {
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError("expected an ISO-8601 time or epoch milliseconds.");
  return n;
};
const list = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

interface ExportOptions {
  out?: string;
  state?: string;
  mongoUri?: string;
  db: string;
  tables?: string[];
  until?: number;
  settleMs: number;
  eventsTopic?: string;
  brokers?: string;
  progress: ProgressMode;
}

interface SqlOptions {
  stageUrl: string;
  storageIntegration: string;
  snowpipe?: boolean;
  tables?: string[];
}

/**
 * Parses the command line (and MONGODB_URI / KAFKA_BROKERS). Throws ExportError for a bad setting; commander
 * prints one line and exits 1 on an unknown option or a bad value, 0 for --help.
 */
export function parseCli(argv: readonly string[], env: Env): CliCommand {
  const args = argv[2] === "--" ? [...argv.slice(0, 2), ...argv.slice(3)] : [...argv];
  let command: CliCommand | undefined;
  const tableNames = INSIGHT_TABLES.map((t) => t.name).join(", ");
  const program = new Command()
    .name("gametel-export")
    .description(
      "Export gametel's insight collections (and optionally raw events from Kafka) to Parquet files " +
        "partitioned by game and date, incrementally and idempotently; or print the Snowflake SQL to load them.",
    )
    .addHelpText(
      "after",
      "\nOptions of each command: gametel-export export --help, gametel-export sql --help.",
    )
    .exitOverride((err) => process.exit(err.exitCode));
  program
    .command("export", { isDefault: true })
    .description(
      "write the rows changed since the last run (updated_at watermark; Kafka offsets for events) to " +
        "<out>/<table>/game_id=<game>/date=<YYYY-MM-DD>/<table>_<from>_<until>.parquet",
    )
    .option("--out <dir>", "output directory (required)")
    .option("--state <file>", `watermark state file (default <out>/${EXPORT_DEFAULTS.stateFileName})`)
    .option("--mongo-uri <uri>", `MongoDB connection string [MONGODB_URI] (default ${DEFAULT_MONGODB_URI})`)
    .option("--db <database>", "database of the insight collections", "gametel")
    .option("--tables <list>", `tables to export (default all: ${tableNames})`, list)
    .option(
      "--until <time>",
      "upper bound of updated_at, ISO-8601 or epoch ms (default: now - settle)",
      instant,
    )
    .option(
      "--settle-ms <ms>",
      "keep the upper bound this far behind the clock, for writes in flight",
      integer,
      EXPORT_DEFAULTS.settleMs,
    )
    .option("--events-topic <topic>", "also export this topic's records since the last run (raw events)")
    .option("--brokers <list>", `Kafka bootstrap servers [KAFKA_BROKERS] (default ${DEFAULT_KAFKA_BROKERS})`)
    .addOption(
      new Option("--progress <mode>", "progress bar (auto: a bar on a terminal, else lines)")
        .choices(["auto", "bar", "lines", "off"])
        .default("auto"),
    )
    .action((o: ExportOptions) => {
      command = {
        kind: "export",
        config: resolveExportConfig({
          ...(o.out === undefined ? {} : { outDir: o.out }),
          ...(o.state === undefined ? {} : { stateFile: o.state }),
          ...(o.tables === undefined ? {} : { tables: o.tables }),
          until: o.until ?? null,
          settleMs: o.settleMs,
          eventsTopic: o.eventsTopic ?? null,
        }),
        mongoUri: o.mongoUri ?? env.MONGODB_URI ?? DEFAULT_MONGODB_URI,
        database: o.db,
        brokers: list(o.brokers ?? env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS),
        progress: o.progress,
      };
    });
  program
    .command("sql")
    .description("print the Snowflake SQL: file format, stage, tables, COPY INTO, MERGE (and Snowpipes)")
    .requiredOption("--stage-url <url>", "where the export directory is copied, e.g. s3://bucket/gametel/")
    .option("--storage-integration <name>", "Snowflake storage integration for the stage", "GAMETEL_EXPORT")
    .option("--snowpipe", "also create AUTO_INGEST pipes")
    .option("--tables <list>", `tables (default all: ${tableNames}, events)`, list)
    .action((o: SqlOptions) => {
      command = {
        kind: "sql",
        stageUrl: o.stageUrl,
        storageIntegration: o.storageIntegration,
        snowpipe: o.snowpipe === true,
        tables: o.tables,
      };
    });
  program.commands.forEach((c) => c.exitOverride((err) => process.exit(err.exitCode)));
  program.parse(args);
  if (command === undefined) throw new Error("no command");
  return command;
}
