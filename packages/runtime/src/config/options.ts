/** One command-line option of the processors: its flag, its environment variable, default and help. */
export interface OptionSpec {
  readonly key: OptionKey;
  readonly flags: string;
  readonly env: string;
  readonly description: string;
  /** Default as it would be typed; undefined = no default (required or optional). */
  readonly defaultValue?: string;
  readonly boolean?: true;
  /** Help section. */
  readonly group: OptionGroup;
}

export type OptionGroup = "Kafka:" | "Topics:" | "MongoDB:" | "Processing:" | "Operations:";

export type OptionKey =
  | "brokers"
  | "clientId"
  | "group"
  | "sessionTimeoutMs"
  | "brokerPatienceMs"
  | "inputTopic"
  | "dlqTopic"
  | "late"
  | "lateTopic"
  | "outputTopic"
  | "partitions"
  | "mongoUri"
  | "mongoDb"
  | "mongoTls"
  | "mongoTlsCaFile"
  | "batchSize"
  | "maxWaitMs"
  | "cacheSize"
  | "commitIntervalMs"
  | "commitMaxRecords"
  | "commitMaxBytes"
  | "windowMs"
  | "maxEventBytes"
  | "maxFutureMs"
  | "minEventTime"
  | "deadLetterMaxBytes"
  | "graceMs"
  | "metricsPort"
  | "connectTimeoutMs"
  | "exitWhenCaughtUp"
  | "logLevel"
  | "kafkaSecurityProtocol"
  | "kafkaSaslMechanism"
  | "kafkaSslCa";

/** Secrets are read from these environment variables only, never from flags (they would show in `ps`). */
export const SECRET_ENV = {
  saslUsername: "KAFKA_SASL_USERNAME",
  saslPassword: "KAFKA_SASL_PASSWORD",
} as const;

export const OPTIONS: readonly OptionSpec[] = [
  {
    key: "brokers",
    flags: "--brokers <list>",
    env: "KAFKA_BROKERS",
    description: "Kafka bootstrap servers, host:port,host:port (required)",
    group: "Kafka:",
  },
  {
    key: "clientId",
    flags: "--client-id <id>",
    env: "KAFKA_CLIENT_ID",
    description: "Kafka client id",
    defaultValue: "gametel-processor",
    group: "Kafka:",
  },
  {
    key: "group",
    flags: "--group <id>",
    env: "GAMETEL_GROUP",
    description: "consumer group id",
    defaultValue: "gametel-processor",
    group: "Kafka:",
  },
  {
    key: "sessionTimeoutMs",
    flags: "--session-timeout-ms <ms>",
    env: "GAMETEL_SESSION_TIMEOUT_MS",
    description:
      "consumer group session timeout: a member silent this long is removed and its partitions move (min 6000)",
    defaultValue: "30000",
    group: "Kafka:",
  },
  {
    key: "brokerPatienceMs",
    flags: "--broker-patience-ms <ms>",
    env: "GAMETEL_BROKER_PATIENCE_MS",
    description:
      "while no Kafka broker answers, wait this long (warn lines, gametel_stream_broker_unreachable_seconds), then exit 1; a restart resumes exactly",
    defaultValue: "300000",
    group: "Kafka:",
  },
  {
    key: "kafkaSecurityProtocol",
    flags: "--kafka-security-protocol <protocol>",
    env: "KAFKA_SECURITY_PROTOCOL",
    description: "PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL",
    defaultValue: "PLAINTEXT",
    group: "Kafka:",
  },
  {
    key: "kafkaSaslMechanism",
    flags: "--kafka-sasl-mechanism <mechanism>",
    env: "KAFKA_SASL_MECHANISM",
    description: "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512 (SASL protocols; default PLAIN)",
    group: "Kafka:",
  },
  {
    key: "kafkaSslCa",
    flags: "--kafka-ssl-ca <file>",
    env: "KAFKA_SSL_CA",
    description: "PEM CA file for the brokers' certificates (SSL, SASL_SSL)",
    group: "Kafka:",
  },
  {
    key: "inputTopic",
    flags: "--input-topic <name>",
    env: "GAMETEL_INPUT_TOPIC",
    description: "telemetry input topic",
    defaultValue: "telemetry.events",
    group: "Topics:",
  },
  {
    key: "dlqTopic",
    flags: "--dlq-topic <name>",
    env: "GAMETEL_DLQ_TOPIC",
    description: "dead-letter topic",
    defaultValue: "telemetry.dlq",
    group: "Topics:",
  },
  {
    key: "late",
    flags: "--late",
    env: "GAMETEL_LATE",
    description: "forward late events to the late topic",
    boolean: true,
    group: "Topics:",
  },
  {
    key: "lateTopic",
    flags: "--late-topic <name>",
    env: "GAMETEL_LATE_TOPIC",
    description: "late-events topic (used with --late)",
    defaultValue: "telemetry.late",
    group: "Topics:",
  },
  {
    key: "outputTopic",
    flags: "--output-topic <name>",
    env: "GAMETEL_OUTPUT_TOPIC",
    description: "compacted PlayerStats output topic",
    defaultValue: "player.stats",
    group: "Topics:",
  },
  {
    key: "partitions",
    flags: "--partitions <n>",
    env: "GAMETEL_PARTITIONS",
    description: "partitions of topics created when missing",
    defaultValue: "12",
    group: "Topics:",
  },
  {
    key: "mongoUri",
    flags: "--mongo-uri <uri>",
    env: "MONGODB_URI",
    description: "MongoDB connection string, credentials included (required)",
    group: "MongoDB:",
  },
  {
    key: "mongoDb",
    flags: "--mongo-db <name>",
    env: "MONGODB_DB",
    description: "MongoDB database",
    defaultValue: "gametel",
    group: "MongoDB:",
  },
  {
    key: "mongoTls",
    flags: "--mongo-tls",
    env: "MONGODB_TLS",
    description: "connect to MongoDB over TLS",
    boolean: true,
    group: "MongoDB:",
  },
  {
    key: "mongoTlsCaFile",
    flags: "--mongo-tls-ca-file <file>",
    env: "MONGODB_TLS_CA_FILE",
    description: "PEM CA file for MongoDB TLS (implies --mongo-tls)",
    group: "MongoDB:",
  },
  {
    key: "batchSize",
    flags: "--batch-size <n>",
    env: "GAMETEL_BATCH_SIZE",
    description: "max records per batch",
    defaultValue: "1000",
    group: "Processing:",
  },
  {
    key: "maxWaitMs",
    flags: "--max-wait-ms <ms>",
    env: "GAMETEL_MAX_WAIT_MS",
    description: "max wait for a batch to fill",
    defaultValue: "500",
    group: "Processing:",
  },
  {
    key: "cacheSize",
    flags: "--cache-size <n>",
    env: "GAMETEL_CACHE_SIZE",
    description: "players kept in memory",
    defaultValue: "100000",
    group: "Processing:",
  },
  {
    key: "commitIntervalMs",
    flags: "--commit-interval-ms <ms>",
    env: "GAMETEL_COMMIT_INTERVAL_MS",
    description: "how often states are written to MongoDB and offsets committed (results' freshness)",
    defaultValue: "1000",
    group: "Processing:",
  },
  {
    key: "commitMaxRecords",
    flags: "--commit-max-records <n>",
    env: "GAMETEL_COMMIT_MAX_RECORDS",
    description: "commit a partition earlier once this many records are uncommitted",
    defaultValue: "50000",
    group: "Processing:",
  },
  {
    key: "commitMaxBytes",
    flags: "--commit-max-bytes <n>",
    env: "GAMETEL_COMMIT_MAX_BYTES",
    description: "commit a partition earlier once its uncommitted records reach this many bytes",
    defaultValue: "33554432",
    group: "Processing:",
  },
  {
    key: "windowMs",
    flags: "--window-ms <ms>",
    env: "GAMETEL_WINDOW_MS",
    description: "tumbling window size",
    defaultValue: "300000",
    group: "Processing:",
  },
  {
    key: "graceMs",
    flags: "--grace-ms <ms>",
    env: "GAMETEL_GRACE_MS",
    description: "grace period for out-of-order events",
    defaultValue: "60000",
    group: "Processing:",
  },
  {
    key: "maxEventBytes",
    flags: "--max-event-bytes <n>",
    env: "GAMETEL_MAX_EVENT_BYTES",
    description: "larger records are dead-lettered",
    defaultValue: "65536",
    group: "Processing:",
  },
  {
    key: "maxFutureMs",
    flags: "--max-future-ms <ms>",
    env: "GAMETEL_MAX_FUTURE_MS",
    description: "events further ahead of the processing time are dead-lettered",
    defaultValue: "3600000",
    group: "Processing:",
  },
  {
    key: "minEventTime",
    flags: "--min-event-time <iso>",
    env: "GAMETEL_MIN_EVENT_TIME",
    description: "events before this UTC date are dead-lettered (a fixed floor: backfills keep working)",
    defaultValue: "2000-01-01T00:00:00Z",
    group: "Processing:",
  },
  {
    key: "deadLetterMaxBytes",
    flags: "--dead-letter-max-bytes <n>",
    env: "GAMETEL_DEAD_LETTER_MAX_BYTES",
    description:
      "larger dead letters carry a reference (position, size, sha256, first bytes) instead of the record; keep below the dead-letter topic's max.message.bytes",
    defaultValue: "262144",
    group: "Processing:",
  },
  {
    key: "metricsPort",
    flags: "--metrics-port <port>",
    env: "GAMETEL_METRICS_PORT",
    description: "port of /metrics, /healthz, /readyz (0 = no server)",
    defaultValue: "9464",
    group: "Operations:",
  },
  {
    key: "connectTimeoutMs",
    flags: "--connect-timeout-ms <ms>",
    env: "GAMETEL_CONNECT_TIMEOUT_MS",
    description: "wait this long at start for Kafka and MongoDB to answer, then exit 3 with one line",
    defaultValue: "10000",
    group: "Operations:",
  },
  {
    key: "exitWhenCaughtUp",
    flags: "--exit-when-caught-up",
    env: "GAMETEL_EXIT_WHEN_CAUGHT_UP",
    description: "exit 0 once the group has no lag (backfills, benchmarks, tests)",
    boolean: true,
    group: "Operations:",
  },
  {
    key: "logLevel",
    flags: "--log-level <level>",
    env: "GAMETEL_LOG_LEVEL",
    description: "trace|debug|info|warn|error|fatal|silent",
    defaultValue: "info",
    group: "Operations:",
  },
];
