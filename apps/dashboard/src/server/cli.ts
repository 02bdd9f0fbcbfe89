import { Command, CommanderError } from "commander";
import { DashboardConfigError, loadConfig, type DashboardConfig } from "./config.js";
import { DEFAULT_LIMITS } from "./guard/Limits.js";

type Env = Readonly<Record<string, string | undefined>>;

export type DashboardArgs =
  | { readonly kind: "config"; readonly config: DashboardConfig }
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "error"; readonly message: string };

/** Flags and the environment variable each one sets (a flag wins over the environment). */
const FLAGS = [
  ["--port <port>", "PORT", "HTTP port (0 = any free port)", "3000"],
  [
    "--host <host>",
    "HOST",
    "address to listen on (beyond localhost: needs API keys or --insecure-open)",
    "127.0.0.1",
  ],
  [
    "--mongo-uri <uri>",
    "MONGODB_URI",
    "MongoDB connection string",
    "mongodb://localhost:$GAMETEL_MONGO_PORT",
  ],
  ["--mongo-db <name>", "GAMETEL_MONGO_DB", "results database", "gametel"],
  [
    "--read-preference <mode>",
    "GAMETEL_MONGO_READ_PREFERENCE",
    "MongoDB read preference",
    "secondaryPreferred",
  ],
  [
    "--metrics-urls <list>",
    "GAMETEL_METRICS_URLS",
    "processors' /metrics URLs, comma-separated",
    "http://localhost:$GAMETEL_METRICS_PORT/metrics",
  ],
  [
    "--brokers <list>",
    "KAFKA_BROKERS",
    "Kafka bootstrap servers (to read dead letters)",
    "localhost:$GAMETEL_KAFKA_PORT",
  ],
  [
    "--kafka-security-protocol <protocol>",
    "KAFKA_SECURITY_PROTOCOL",
    "PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL",
    "PLAINTEXT",
  ],
  [
    "--kafka-sasl-mechanism <mechanism>",
    "KAFKA_SASL_MECHANISM",
    "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512 (SASL protocols)",
    "PLAIN",
  ],
  ["--kafka-ssl-ca <file>", "KAFKA_SSL_CA", "PEM CA file for the brokers' certificates", "the system's CAs"],
  [
    "--dlq-topics <list>",
    "GAMETEL_DLQ_TOPICS",
    "dead-letter topics counted on the pipeline page (empty = none)",
    "telemetry.dlq",
  ],
  ["--page-size <n>", "GAMETEL_ODATA_PAGE_SIZE", "OData rows per page", "1000"],
  [
    "--public-url <url>",
    "GAMETEL_PUBLIC_URL",
    "public base URL behind a proxy (OData links)",
    "from the request",
  ],
  [
    "--cors-origins <list>",
    "GAMETEL_CORS_ORIGINS",
    "origins allowed to call the feed from a browser",
    "none",
  ],
  ["--live-poll-ms <ms>", "GAMETEL_LIVE_POLL_MS", "how often live views are re-read", "2000"],
  ["--static-dir <dir>", "GAMETEL_DASHBOARD_STATIC", "built web UI; empty = API and feed only", "dist/web"],
  [
    "--connect-timeout-ms <ms>",
    "GAMETEL_CONNECT_TIMEOUT_MS",
    "wait this long at start for MongoDB, then exit 3",
    "10000",
  ],
  ["--log-level <level>", "GAMETEL_LOG_LEVEL", "trace|debug|info|warn|error|fatal|silent", "info"],
  [
    "--query-timeout-ms <ms>",
    "GAMETEL_QUERY_TIMEOUT_MS",
    "maxTimeMS of every MongoDB read; slower requests get 503",
    String(DEFAULT_LIMITS.queryTimeoutMs),
  ],
  [
    "--export-timeout-ms <ms>",
    "GAMETEL_EXPORT_TIMEOUT_MS",
    "maxTimeMS of a CSV export",
    String(DEFAULT_LIMITS.exportTimeoutMs),
  ],
  [
    "--rate-limit <n>",
    "GAMETEL_RATE_LIMIT",
    "requests per client per window (0 = off)",
    String(DEFAULT_LIMITS.rateLimit),
  ],
  [
    "--rate-limit-window-ms <ms>",
    "GAMETEL_RATE_LIMIT_WINDOW_MS",
    "rate-limit window",
    String(DEFAULT_LIMITS.rateLimitWindowMs),
  ],
  [
    "--live-streams-per-client <n>",
    "GAMETEL_LIVE_STREAMS_PER_CLIENT",
    "live (SSE) streams one client may hold",
    String(DEFAULT_LIMITS.liveStreamsPerClient),
  ],
  [
    "--live-max-views <n>",
    "GAMETEL_LIVE_MAX_VIEWS",
    "distinct live views polled at once",
    String(DEFAULT_LIMITS.liveMaxViews),
  ],
  [
    "--max-exports <n>",
    "GAMETEL_MAX_EXPORTS",
    "CSV exports running at once",
    String(DEFAULT_LIMITS.maxExports),
  ],
] as const;

const HELP_FOOTER = `
Kafka SASL credentials come from the environment only: KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.
OData API keys come from the environment only (never flags, they would show in \`ps\`):
  GAMETEL_ODATA_API_KEYS         comma-separated keys (16+ characters each); none = the feed is open
  GAMETEL_ODATA_API_KEY_HEADER   header carrying the key (default x-api-key)
  GAMETEL_ODATA_API_KEY_PARAM    query parameter carrying the key (default api_key)

Exit codes: 0 stopped cleanly, 1 failed while running, 2 usage or configuration, 3 MongoDB unreachable.
`;

function program(): Command {
  const command = new Command("gametel-dashboard")
    .description(
      "gametel live insights dashboard and read-only OData v4 feed over the processors' MongoDB results",
    )
    .helpOption("-h, --help", "show this help")
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })
    .configureHelp({ helpWidth: 110 });
  for (const [flags, env, description, fallback] of FLAGS) {
    command.option(flags, `${description} [${env}] (default ${fallback})`);
  }
  command.option(
    "--trust-proxy",
    "behind a reverse proxy: the client is the last X-Forwarded-For address [GAMETEL_TRUST_PROXY=1]",
  );
  command.option(
    "--insecure-open",
    "serve the feed beyond localhost without API keys (refused otherwise) [GAMETEL_INSECURE_OPEN=1]",
  );
  return command;
}

export const dashboardHelp = (): string => `${program().helpInformation()}${HELP_FOOTER}`;

/**
 * Parses flags (without node and script) over the environment into the validated configuration; pure (no exit,
 * no output). `staticDir` is the built UI used when neither `--static-dir` nor GAMETEL_DASHBOARD_STATIC is set.
 */
export function parseDashboardArgs(
  argv: readonly string[],
  env: Env,
  staticDir: string | null,
): DashboardArgs {
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  const command = program();
  try {
    command.parse(args, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === "commander.helpDisplayed" || error.code === "commander.help") {
      return { kind: "help", text: dashboardHelp() };
    }
    return { kind: "error", message: error.message.replace(/^error: /, "") };
  }
  const opts = command.opts<Record<string, string | undefined>>();
  const merged: Record<string, string | undefined> = { ...env };
  for (const [flags, name] of FLAGS) {
    const key = command.options.find((o) => o.flags === flags)!.attributeName();
    if (opts[key] !== undefined) merged[name] = opts[key];
  }
  if (opts["insecureOpen"] !== undefined) merged["GAMETEL_INSECURE_OPEN"] = "1";
  if (opts["trustProxy"] !== undefined) merged["GAMETEL_TRUST_PROXY"] = "1";
  const staticEnv = merged["GAMETEL_DASHBOARD_STATIC"];
  const resolvedStatic = staticEnv === undefined ? staticDir : staticEnv === "" ? null : staticEnv;
  try {
    return { kind: "config", config: loadConfig(merged, resolvedStatic) };
  } catch (error) {
    if (error instanceof DashboardConfigError) return { kind: "error", message: error.message };
    throw error;
  }
}
