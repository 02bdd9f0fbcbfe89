import type { Authenticator } from "../auth/Authenticator.js";
import type { GameKey } from "../auth/GameKeys.js";
import { CollectorError, RefusalCodes } from "../CollectorError.js";
import type { CollectorSettings } from "../CollectorConfig.js";
import type { RecordProducer } from "../kafka/KafkaProducer.js";
import { QueueFullError, type ProduceQueue } from "../kafka/ProduceQueue.js";
import { RateLimiter } from "../limits/RateLimiter.js";
import type { CollectorMetrics } from "../ops/Metrics.js";
import { bodyFormat, splitEvents } from "./Batch.js";
import { inflate, readBody } from "./Body.js";
import { toRecords } from "./records.js";
import { validateEvents, type ValidatedBatch } from "./validateEvents.js";

/** One ingest request as the HTTP layer hands it over. */
export interface IngestRequest {
  readonly gameId: string;
  readonly method: string;
  /** The path as sent (percent-encoding kept, no query string): what the client signed. */
  readonly path: string;
  readonly header: (name: string) => string | undefined;
  readonly body: ReadableStream<Uint8Array> | null;
  readonly clientIp: string;
}

/** The 200 answer: how many events were accepted, and each rejected one by index with its reason. */
export interface IngestResponse {
  readonly accepted: number;
  readonly rejected: { readonly index: number; readonly path: string; readonly reason: string }[];
}

export interface IngestDeps {
  readonly settings: CollectorSettings;
  readonly auth: Authenticator;
  readonly queue: ProduceQueue;
  readonly producer: Pick<RecordProducer, "connected">;
  readonly metrics: CollectorMetrics;
  readonly now: () => number;
  readonly draining: () => boolean;
}

/** The ingest pipeline: refuse cheaply first, write nothing until the whole request is known good, then await Kafka. */
export function createIngest(deps: IngestDeps) {
  const { settings, auth, queue, producer, metrics, now } = deps;
  const perKey = new RateLimiter(settings.rateLimits.perKey);
  const perIp = new RateLimiter(settings.rateLimits.publicPerIp);
  const perSession = new RateLimiter(settings.rateLimits.publicPerSession);
  const unavailable = (message: string, code: string = RefusalCodes.unavailable) =>
    new CollectorError(503, code, message, settings.retryAfterSec);

  function limit(key: GameKey, request: IngestRequest, batch: ValidatedBatch, count: number): void {
    const at = now();
    const refuse = (what: string, wait: number) => {
      if (wait > 0) {
        throw new CollectorError(
          429,
          RefusalCodes.rateLimited,
          `rate limit of ${what} reached; retry later`,
          wait,
        );
      }
    };
    refuse(`key "${key.keyId}"`, perKey.take(`${key.gameId}\u0000${key.keyId}`, count, at));
    if (key.kind !== "public") return;
    refuse(`this address for public keys`, perIp.take(`${key.gameId}\u0000${request.clientIp}`, count, at));
    const sessions = new Map<string, number>();
    for (const e of batch.accepted) {
      if (e.sessionId !== null) sessions.set(e.sessionId, (sessions.get(e.sessionId) ?? 0) + 1);
    }
    for (const [session, n] of sessions) {
      refuse(`session "${session}" for public keys`, perSession.take(`${key.gameId}\u0000${session}`, n, at));
    }
  }

  async function awaitKafka(records: Parameters<ProduceQueue["publish"]>[0]): Promise<void> {
    const stop = metrics.kafkaAckDuration.startTimer();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        queue.publish(records),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(unavailable(`Kafka did not acknowledge within ${settings.ackTimeoutMs} ms`)),
            settings.ackTimeoutMs,
          );
        }),
      ]);
    } catch (error) {
      if (error instanceof CollectorError) throw error;
      if (error instanceof QueueFullError) throw unavailable(`the collector is busy: ${error.message}`);
      throw unavailable(`Kafka did not acknowledge: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      stop();
    }
  }

  return async function ingest(request: IngestRequest): Promise<IngestResponse> {
    if (deps.draining()) throw unavailable("the collector is shutting down", RefusalCodes.draining);
    if (!producer.connected()) throw unavailable("Kafka is unavailable");
    const key = auth.identify(request.gameId, request.header);
    const format = bodyFormat(request.header("content-type"));
    const encoding = (request.header("content-encoding") ?? "identity").trim().toLowerCase();
    if (encoding !== "identity" && encoding !== "gzip") {
      throw new CollectorError(415, RefusalCodes.badEncoding, "Content-Encoding must be gzip or absent");
    }
    const raw = await readBody(request.body, request.header("content-length"), settings.limits.maxBodyBytes);
    auth.verify(key, request.method, request.path, request.header, raw);
    const body = encoding === "gzip" ? await inflate(raw, settings.limits.maxDecompressedBytes) : raw;
    const events = splitEvents(body, format, settings.limits);
    const batch = validateEvents(events, request.gameId, key);
    limit(key, request, batch, events.length);
    const records = toRecords(batch, request.gameId, key, {
      events: settings.eventsTopic,
      deadLetter: settings.deadLetterTopic,
    });
    await awaitKafka(records);
    metrics.eventsAccepted.inc(batch.accepted.length);
    metrics.eventsRejected.inc(batch.rejected.length);
    return {
      accepted: batch.accepted.length,
      rejected: batch.rejected.map(({ index, path, reason }) => ({ index, path, reason })),
    };
  };
}
