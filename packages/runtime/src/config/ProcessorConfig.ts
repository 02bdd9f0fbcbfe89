import type { Secret } from "./Secret.js";

export const SECURITY_PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface SaslSettings {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: Secret;
}

/** How to reach Kafka. SASL credentials come from the environment only. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly securityProtocol: SecurityProtocol;
  /** Present iff the protocol is SASL_PLAINTEXT or SASL_SSL. */
  readonly sasl: SaslSettings | null;
  /** PEM file of the CA that signed the brokers' certificates (SSL, SASL_SSL); null = the system's CAs. */
  readonly sslCaFile: string | null;
}

/** How to reach MongoDB. Credentials stay inside the URI. */
export interface MongoSettings {
  readonly uri: Secret;
  readonly db: string;
  /** Force TLS (a `mongodb+srv://` URI already implies it). */
  readonly tls: boolean;
  readonly tlsCaFile: string | null;
}

export interface TopicSettings {
  readonly input: string;
  readonly dlq: string;
  /** null = late events are not forwarded. */
  readonly late: string | null;
  readonly output: string;
  /** Partitions of topics created when missing. */
  readonly partitions: number;
}

/** The validated configuration both processor apps share (see `parseProcessorArgs`). */
export interface ProcessorConfig {
  readonly kafka: KafkaSettings;
  readonly mongo: MongoSettings;
  readonly group: string;
  /**
   * Consumer group session timeout: a member that sent no heartbeat for this long (e.g. SIGKILLed) is removed from
   * the group and its partitions move. Heartbeats go every third of it. At least 6000 (the brokers' default
   * `group.min.session.timeout.ms`).
   */
  readonly sessionTimeoutMs: number;
  /**
   * How long the engine waits while no broker answers (a broker restart, a network cut) before it gives up and the
   * process exits 1. Nothing is committed past applied results while waiting, so a restart resumes exactly.
   */
  readonly brokerPatienceMs: number;
  readonly topics: TopicSettings;
  /** Max records per delivered batch. */
  readonly batchSize: number;
  /** Max wait for a batch to fill (kafkajs fetch max wait; librdkafka consume timeout). */
  readonly maxWaitMs: number;
  /** Max players held in memory. */
  readonly cacheSize: number;
  /** States are written and offsets committed this often (Kafka Streams' commit.interval.ms); 0 = every batch. */
  readonly commitIntervalMs: number;
  /** A partition commits earlier once this many records are uncommitted. */
  readonly commitMaxRecords: number;
  /** A partition commits earlier once its uncommitted records (keys and values) reach this many bytes. */
  readonly commitMaxBytes: number;
  readonly windowSizeMs: number;
  readonly graceMs: number;
  /** Records whose value is larger are dead-lettered without decoding. */
  readonly maxEventBytes: number;
  /** Events more than this ahead of the processing time are dead-lettered. */
  readonly maxFutureMs: number;
  /** Events before this epoch ms are dead-lettered. */
  readonly minEventTimeMs: number;
  /** Dead letters larger than this carry a reference instead of the record. */
  readonly deadLetterMaxBytes: number;
  /** Port of /metrics, /healthz, /readyz; 0 = no ops server. */
  readonly metricsPort: number;
  /** How long to wait at start for Kafka and MongoDB to answer before exiting with one line (exit code 3). */
  readonly connectTimeoutMs: number;
  readonly exitWhenCaughtUp: boolean;
  readonly logLevel: LogLevel;
}
