import { COMMIT_DEFAULTS } from "./CommitInterval.js";
import { DEAD_LETTER_MAX_BYTES_DEFAULT } from "./DeadLetter.js";
import type { EventTimeBounds } from "./EventTimeBounds.js";
import { EVENT_TIME_BOUNDS_DEFAULTS } from "./EventTimeBounds.js";

/** What the processing loop needs from the runtime configuration. */
export interface LoopConfig {
  readonly inputTopic: string;
  readonly dlqTopic: string;
  /** Output topic for the latest PlayerStats per player (compacted); null or "" = off. */
  readonly outputTopic?: string | null;
  /** Late events are forwarded here when set; null or "" = off. */
  readonly lateTopic?: string | null;
  /** Max entries of the in-memory state cache (keys and shared-aggregate parts). */
  readonly cacheSize?: number;
  /** Stop once the group has no lag (after the batch that reached it), flushing and committing first. */
  readonly exitWhenCaughtUp?: boolean;
  /** The runtime's own per-key state collection (default `key_state`); the model names its aggregations'. */
  readonly keyStateCollection?: string;
  /** Attempts per MongoDB write before the processor fails (writes are idempotent, so retrying is safe). */
  readonly writeAttempts?: number;
  /** How often the consumer lag gauge is refreshed and, with exitWhenCaughtUp, the group lag is checked. */
  readonly pollIntervalMs?: number;
  /** Accepted event times (defaults in EventTimeBounds.ts: one hour into the future, not before 2000). */
  readonly eventTimeBounds?: Partial<EventTimeBounds>;
  /** Bound on a dead letter's bytes; larger records are dead-lettered as a reference (default 256 KiB). */
  readonly deadLetterMaxBytes?: number;
  /** Kafka Streams' commit.interval.ms: states are written and offsets committed this often (CommitInterval.ts). */
  readonly commitIntervalMs?: number;
  /** A task commits earlier once this many records are uncommitted. */
  readonly commitMaxRecords?: number;
  /** A task commits earlier once the uncommitted records' keys and values reach this many bytes. */
  readonly commitMaxBytes?: number;
  /** Test only: pause this long after each write phase of a commit, logging it (a crash test kills there). */
  readonly testPauseInCommitMs?: number;
}

export const LOOP_DEFAULTS = {
  cacheSize: 100_000,
  commitIntervalMs: COMMIT_DEFAULTS.intervalMs,
  commitMaxRecords: COMMIT_DEFAULTS.maxRecords,
  commitMaxBytes: COMMIT_DEFAULTS.maxBytes,
  writeAttempts: 8,
  pollIntervalMs: 1_000,
  deadLetterMaxBytes: DEAD_LETTER_MAX_BYTES_DEFAULT,
  eventTimeBounds: EVENT_TIME_BOUNDS_DEFAULTS,
} as const;

/** Validates the processing part of the configuration; throws one clear message. */
export function checkLoopConfig(config: LoopConfig): void {
  const fail = (message: string): never => {
    throw new RangeError(`invalid processing-loop configuration: ${message}`);
  };
  if (config.inputTopic.length === 0) fail("inputTopic is empty");
  if (config.dlqTopic.length === 0) fail("dlqTopic is empty");
  const topics = [config.inputTopic, config.dlqTopic, config.outputTopic, config.lateTopic].filter(
    (t): t is string => typeof t === "string" && t.length > 0,
  );
  if (new Set(topics).size !== topics.length)
    fail(`input, dead-letter, output and late topics must differ (${topics.join(", ")})`);
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      fail(`${name} must be a positive integer, got ${value}`);
  };
  positive("cacheSize", config.cacheSize);
  positive("writeAttempts", config.writeAttempts);
  positive("pollIntervalMs", config.pollIntervalMs);
  positive("commitMaxRecords", config.commitMaxRecords);
  positive("commitMaxBytes", config.commitMaxBytes);
  const interval = config.commitIntervalMs;
  if (interval !== undefined && (!Number.isInteger(interval) || interval < 0))
    fail(`commitIntervalMs must be an integer >= 0, got ${interval}`);
  positive("eventTimeBounds.maxFutureMs", config.eventTimeBounds?.maxFutureMs);
  const floor = config.eventTimeBounds?.floorMs;
  if (floor !== undefined && !Number.isFinite(floor))
    fail(`eventTimeBounds.floorMs must be finite, got ${floor}`);
  const letter = config.deadLetterMaxBytes;
  if (letter !== undefined && (!Number.isInteger(letter) || letter < 4096))
    fail(`deadLetterMaxBytes must be an integer of at least 4096, got ${letter}`);
}

export const topicOrNull = (topic: string | null | undefined): string | null =>
  topic === undefined || topic === null || topic.length === 0 ? null : topic;
