import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import type { Consumer, KafkaConfig } from "kafkajs";
import type { DeadLetterCount } from "../api/ViewTypes.js";
import { DeadLetterTally } from "./DeadLetterTally.js";

/** Where the pipeline page's dead-letter counts come from. */
export interface DeadLetterSource {
  snapshot(): DeadLetterCount;
  close(): Promise<void>;
}

export interface DeadLetterReaderOptions {
  readonly brokers: readonly string[];
  /** TLS and SASL of the brokers; none = plaintext. */
  readonly connection?: Pick<KafkaConfig, "ssl" | "sasl">;
  readonly topics: readonly string[];
  readonly clientId?: string;
  /** Wait before reading again after a failure (broker down, topic missing). */
  readonly retryMs?: number;
  /** Called with the error and its description (also the snapshot's `error`, without the retry delay). */
  readonly onError?: (error: unknown, description: string) => void;
}

/** What went wrong, in words an operator can act on (kafkajs names a missing topic by a protocol error). */
function describe(error: unknown, topics: readonly string[]): string {
  if ((error as { type?: unknown } | null)?.type === "UNKNOWN_TOPIC_OR_PARTITION") {
    return `the dead-letter topic ${topics.join(", ")} does not exist (yet)`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads the dead-letter topics from the beginning and keeps reading, counting records and distinct dead letters
 * (`DeadLetterTally`). It joins a consumer group of its own (a fresh id per start, nothing committed), so it never
 * moves a processor's offsets; it never creates a topic. After a failure it starts over from the beginning with a
 * fresh tally.
 */
export function readDeadLetters(options: DeadLetterReaderOptions): DeadLetterSource {
  const retryMs = options.retryMs ?? 5_000;
  const kafka = new Kafka({
    clientId: options.clientId ?? "gametel-dashboard",
    brokers: [...options.brokers],
    ...options.connection,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
  let tally = new DeadLetterTally();
  let error: string | null = null;
  let consumer: Consumer | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const restart = (cause: unknown) => {
    const description = describe(cause, options.topics);
    error = `${description}; reading again in ${Math.round(retryMs / 1000)} s`;
    options.onError?.(cause, description);
    const failed = consumer;
    consumer = null;
    void failed?.disconnect().catch(() => undefined);
    if (!closed) {
      timer = setTimeout(() => void start(), retryMs);
      timer.unref();
    }
  };

  async function start(): Promise<void> {
    if (closed) return;
    const reading = kafka.consumer({
      groupId: `gametel-dashboard-dead-letters-${randomUUID()}`,
      allowAutoTopicCreation: false,
    });
    consumer = reading;
    const counted = new DeadLetterTally();
    try {
      await reading.connect();
      await reading.subscribe({ topics: [...options.topics], fromBeginning: true });
      reading.on(reading.events.CRASH, (event) => {
        if (!event.payload.restart) restart(event.payload.error);
      });
      await reading.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message: record }) => {
          counted.add(record.headers ?? {}, { topic, partition, offset: record.offset });
        },
      });
      tally = counted;
      error = null;
    } catch (cause) {
      if (consumer === reading) restart(cause);
    }
  }

  void start();
  return {
    snapshot: () => ({
      topics: [...options.topics],
      records: tally.records,
      distinct: tally.distinct,
      capped: tally.capped,
      error,
    }),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await consumer?.disconnect().catch(() => undefined);
    },
  };
}
