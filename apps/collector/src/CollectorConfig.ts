import type { KafkaSettings } from "@gametel/runtime";
import type { GameKeys } from "./auth/GameKeys.js";

/** Request and event limits; each one refused with its own status code (see the README). */
export interface CollectorLimits {
  /** Largest request body as sent (compressed or not), bytes → 413. */
  readonly maxBodyBytes: number;
  /** Largest body after gzip inflation, bytes → 413 (inflation stops at the cap). */
  readonly maxDecompressedBytes: number;
  /** Most events in one request → 413. */
  readonly maxEventsPerRequest: number;
  /** Largest single event, UTF-8 bytes of its JSON → 413. */
  readonly maxEventBytes: number;
}

/** A token bucket: `ratePerSec` events per second refill, up to `burst` events at once. */
export interface RateLimit {
  readonly ratePerSec: number;
  readonly burst: number;
}

export interface CollectorRateLimits {
  /** Per key (secret and public keys alike). */
  readonly perKey: RateLimit;
  /** Per client IP address, for public keys only. */
  readonly publicPerIp: RateLimit;
  /** Per `session_id` of the events, for public keys only. */
  readonly publicPerSession: RateLimit;
}

export interface CollectorSettings {
  readonly eventsTopic: string;
  readonly deadLetterTopic: string;
  readonly limits: CollectorLimits;
  readonly rateLimits: CollectorRateLimits;
  /** How far a signed request's timestamp may be from the collector's clock, ms (either way). */
  readonly replayWindowMs: number;
  /** Most remembered signatures (the replay cache); the oldest are forgotten first. */
  readonly replayCacheSize: number;
  /** Events waiting for Kafka across all requests; beyond it requests get 503. */
  readonly maxQueuedEvents: number;
  /** Longest wait for Kafka's acknowledgement before answering 503 (the events may still arrive: retry is safe). */
  readonly ackTimeoutMs: number;
  /** Retry-After (seconds) sent with 503. */
  readonly retryAfterSec: number;
  /** Browser origins allowed to post (public keys in web games); empty = CORS off. */
  readonly corsOrigins: readonly string[];
}

/** Everything main reads: the settings, where to listen, Kafka and the keys. */
export interface CollectorConfig extends CollectorSettings {
  readonly port: number;
  readonly host: string;
  readonly kafka: KafkaSettings;
  readonly partitions: number;
  readonly keys: GameKeys;
  readonly logLevel: string;
}

export class CollectorConfigError extends Error {
  override readonly name = "CollectorConfigError";
}

export const COLLECTOR_DEFAULTS = {
  port: 8088,
  host: "0.0.0.0",
  eventsTopic: "telemetry.events",
  deadLetterTopic: "telemetry.dlq",
  partitions: 6,
  clientId: "gametel-collector",
  limits: {
    maxBodyBytes: 1_048_576,
    maxDecompressedBytes: 4_194_304,
    maxEventsPerRequest: 1_000,
    maxEventBytes: 65_536,
  },
  rateLimits: {
    perKey: { ratePerSec: 20_000, burst: 40_000 },
    publicPerIp: { ratePerSec: 20, burst: 200 },
    publicPerSession: { ratePerSec: 10, burst: 100 },
  },
  replayWindowMs: 300_000,
  replayCacheSize: 1_000_000,
  maxQueuedEvents: 200_000,
  ackTimeoutMs: 15_000,
  retryAfterSec: 2,
} as const;
