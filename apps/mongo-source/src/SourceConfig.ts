import type { KafkaSettings } from "@gametel/runtime";

/**
 * Configuration of one MongoDB change-stream source. `resolveSourceConfig` fills in defaults and refuses a
 * bad setting at once with one clear message (a `SourceConfigError`), before anything connects.
 */

/**
 * How the source reaches Kafka: `KafkaSettings` of @gametel/runtime (brokers, client id, security protocol,
 * SASL from the environment, CA file), the same options and environment variables the processors take.
 */
export type KafkaConnection = KafkaSettings;

export interface SourceConfig {
  /** Name of this source: the `_id` of its offset document. One running process per name. */
  readonly name: string;
  readonly mongoUri: string;
  readonly database: string;
  readonly collection: string;
  /** Collection (in `database`) that holds one offset document per source name. */
  readonly offsetsCollection: string;
  readonly kafka: KafkaConnection;
  readonly eventsTopic: string;
  readonly deadLetterTopic: string;
  /** Partitions of the events and dead-letter topics when the source has to create them. */
  readonly partitions: number;
  /** Copy the documents that already exist before streaming changes (like the connector's copy_existing). */
  readonly copyExisting: boolean;
  /**
   * Copy only the documents whose `copySinceField` is at or after this time, then stream (the recovery from a
   * lost resume point; like `copyExisting`, only on a first run or with `reset`). `null` = no such copy.
   */
  readonly copySince: Date | null;
  /** The time field `copySince` compares: epoch milliseconds or a BSON date; `_id` = the ObjectId's time. */
  readonly copySinceField: string;
  /**
   * When the saved resume point is gone (ChangeStreamHistoryLost and kin): `fail` exits with the recovery
   * command in the message; `recopy` logs the same error, then runs that recovery itself and streams on.
   */
  readonly onResumeLost: ResumeLostPolicy;
  /** How long MongoDB may stay unreachable while streaming before the source gives up (exit 1). */
  readonly mongoPatienceMs: number;
  /** Forget the saved offset first: start from now (or re-copy with `copyExisting`). */
  readonly reset: boolean;
  /** Most documents published in one produce request (change stream and copy). */
  readonly batchSize: number;
  /** Save the resume point after this many published documents ... */
  readonly checkpointEvery: number;
  /** ... or after this many milliseconds with unsaved progress, whichever comes first. */
  readonly checkpointIntervalMs: number;
  /** How long to wait before asking the change stream again when it had nothing. */
  readonly idlePollMs: number;
  /** Period of the progress log line. */
  readonly logIntervalMs: number;
  /** Stop (saving the offset) after this long without new documents; `null` = run until signalled. */
  readonly exitWhenIdleMs: number | null;
  /** Stop (saving the offset) once this many documents were published; `null` = no limit. */
  readonly maxEvents: number | null;
}

export type ResumeLostPolicy = "fail" | "recopy";
export const RESUME_LOST_POLICIES: readonly ResumeLostPolicy[] = ["fail", "recopy"];

export type SourceConfigInput = Partial<Omit<SourceConfig, "kafka">> & {
  readonly kafka?: Partial<KafkaConnection>;
};

export class SourceConfigError extends Error {
  override readonly name = "SourceConfigError";
}

export const DEFAULT_MONGODB_URI = "mongodb://localhost:27017/?directConnection=true";
export const DEFAULT_KAFKA_BROKERS = "localhost:9092";

export const SOURCE_DEFAULTS = {
  name: "telemetry",
  database: "gametel",
  collection: "telemetry",
  offsetsCollection: "_gametel_source_offsets",
  eventsTopic: "telemetry.events",
  deadLetterTopic: "telemetry.dlq",
  partitions: 12,
  clientId: "gametel-mongo-source",
  batchSize: 500,
  checkpointEvery: 1000,
  checkpointIntervalMs: 1000,
  idlePollMs: 500,
  logIntervalMs: 10_000,
  copySinceField: "event_time",
  mongoPatienceMs: 120_000,
} as const;

/** Fill in defaults (environment `MONGODB_URI` / `KAFKA_BROKERS` before built-ins) and validate. */
export function resolveSourceConfig(
  input: SourceConfigInput = {},
  env: Readonly<Record<string, string | undefined>> = {},
): SourceConfig {
  const brokers = input.kafka?.brokers ?? splitList(env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS);
  const securityProtocol = input.kafka?.securityProtocol ?? "PLAINTEXT";
  const config: SourceConfig = {
    name: input.name ?? SOURCE_DEFAULTS.name,
    mongoUri: input.mongoUri ?? env.MONGODB_URI ?? DEFAULT_MONGODB_URI,
    database: input.database ?? SOURCE_DEFAULTS.database,
    collection: input.collection ?? SOURCE_DEFAULTS.collection,
    offsetsCollection: input.offsetsCollection ?? SOURCE_DEFAULTS.offsetsCollection,
    kafka: {
      brokers,
      clientId: input.kafka?.clientId ?? SOURCE_DEFAULTS.clientId,
      securityProtocol,
      sasl: input.kafka?.sasl ?? null,
      sslCaFile: input.kafka?.sslCaFile ?? null,
    },
    eventsTopic: input.eventsTopic ?? SOURCE_DEFAULTS.eventsTopic,
    deadLetterTopic: input.deadLetterTopic ?? SOURCE_DEFAULTS.deadLetterTopic,
    partitions: input.partitions ?? SOURCE_DEFAULTS.partitions,
    copyExisting: input.copyExisting ?? false,
    copySince: input.copySince ?? null,
    copySinceField: input.copySinceField ?? SOURCE_DEFAULTS.copySinceField,
    onResumeLost: input.onResumeLost ?? "fail",
    mongoPatienceMs: input.mongoPatienceMs ?? SOURCE_DEFAULTS.mongoPatienceMs,
    reset: input.reset ?? false,
    batchSize: input.batchSize ?? SOURCE_DEFAULTS.batchSize,
    checkpointEvery: input.checkpointEvery ?? SOURCE_DEFAULTS.checkpointEvery,
    checkpointIntervalMs: input.checkpointIntervalMs ?? SOURCE_DEFAULTS.checkpointIntervalMs,
    idlePollMs: input.idlePollMs ?? SOURCE_DEFAULTS.idlePollMs,
    logIntervalMs: input.logIntervalMs ?? SOURCE_DEFAULTS.logIntervalMs,
    exitWhenIdleMs: input.exitWhenIdleMs ?? null,
    maxEvents: input.maxEvents ?? null,
  };
  validate(config);
  return config;
}

function validate(c: SourceConfig): void {
  const fail = (message: string): never => {
    throw new SourceConfigError(message);
  };
  if (!/^mongodb(\+srv)?:\/\//.test(c.mongoUri))
    fail(`MongoDB URI must start with mongodb:// or mongodb+srv://`);
  for (const [what, value] of [
    ["source name", c.name],
    ["database", c.database],
    ["collection", c.collection],
    ["offsets collection", c.offsetsCollection],
  ] as const) {
    if (value.length === 0 || /[\s$/\\"\0]/.test(value) || (what !== "collection" && value.includes("."))) {
      fail(`invalid ${what} "${value}": use letters, digits, _ and - (no spaces, $, / or quotes)`);
    }
  }
  if (c.copySince !== null && c.copyExisting)
    fail(`--copy-existing copies every document and --copy-since only the recent ones: choose one`);
  if (c.copySince !== null && Number.isNaN(c.copySince.getTime())) fail(`--copy-since is not a valid time`);
  if (c.copySinceField === "" || c.copySinceField.startsWith("$") || /[\s\0]/.test(c.copySinceField))
    fail(
      `invalid --copy-since-field "${c.copySinceField}": a field name or dotted path, not starting with $`,
    );
  if (!RESUME_LOST_POLICIES.includes(c.onResumeLost))
    fail(
      `--on-resume-lost must be one of ${RESUME_LOST_POLICIES.join("|")}, got "${String(c.onResumeLost)}"`,
    );
  if (c.offsetsCollection === c.collection)
    fail(`the offsets collection must differ from the watched collection`);
  if (c.kafka.brokers.length === 0 || c.kafka.brokers.some((b) => !/^[^\s:]+:\d{1,5}$/.test(b))) {
    fail(`invalid Kafka brokers "${c.kafka.brokers.join(",")}": expected host:port[,host:port...]`);
  }
  for (const [what, topic] of [
    ["events topic", c.eventsTopic],
    ["dead-letter topic", c.deadLetterTopic],
  ] as const) {
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
      fail(`invalid ${what} "${topic}": Kafka topics use A-Z a-z 0-9 . _ -`);
  }
  if (c.eventsTopic === c.deadLetterTopic) fail(`the events topic and the dead-letter topic must differ`);
  const positive: readonly (readonly [string, number])[] = [
    ["batch size", c.batchSize],
    ["checkpoint every", c.checkpointEvery],
    ["checkpoint interval", c.checkpointIntervalMs],
    ["idle poll", c.idlePollMs],
    ["log interval", c.logIntervalMs],
    ["MongoDB patience", c.mongoPatienceMs],
  ];
  for (const [what, n] of positive) {
    if (!Number.isSafeInteger(n) || n <= 0) fail(`${what} must be a positive integer, got ${n}`);
  }
  if (c.batchSize > 10_000) fail(`batch size must be at most 10000, got ${c.batchSize}`);
  if (c.exitWhenIdleMs !== null && (!Number.isSafeInteger(c.exitWhenIdleMs) || c.exitWhenIdleMs <= 0)) {
    fail(`exit-when-idle must be a positive number of milliseconds, got ${c.exitWhenIdleMs}`);
  }
  if (c.maxEvents !== null && (!Number.isSafeInteger(c.maxEvents) || c.maxEvents <= 0)) {
    fail(`max events must be a positive integer, got ${c.maxEvents}`);
  }
  const { securityProtocol, sasl, sslCaFile } = c.kafka;
  const isSasl = securityProtocol === "SASL_SSL" || securityProtocol === "SASL_PLAINTEXT";
  if (isSasl && sasl === null) {
    fail(
      `KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set for --kafka-security-protocol ${securityProtocol}`,
    );
  }
  if (isSasl && sasl !== null && (sasl.username === "" || sasl.password.reveal() === "")) {
    fail(`KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must both be non-empty for ${securityProtocol}`);
  }
  if (!isSasl && sasl !== null) {
    fail(
      `SASL credentials are set but --kafka-security-protocol is ${securityProtocol}; use SASL_SSL or SASL_PLAINTEXT`,
    );
  }
  const isTls = securityProtocol === "SSL" || securityProtocol === "SASL_SSL";
  if (sslCaFile !== null && !isTls) {
    fail(`--kafka-ssl-ca needs --kafka-security-protocol SSL or SASL_SSL, not ${securityProtocol}`);
  }
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The `source` a dead letter names: `mongodb:<db>.<collection>`. */
export function sourceLabel(config: Pick<SourceConfig, "database" | "collection">): string {
  return `mongodb:${config.database}.${config.collection}`;
}
