import type { EventType } from "@gametel/core";
import { buildEvent, type EventDefaults, type EventInput, type EventOf } from "./Events.js";
import { EventQueue, type QueuedEvent } from "./internal/EventQueue.js";
import { gzip } from "./internal/gzip.js";
import { RETRIABLE, backoffMs, retryAfterMs } from "./internal/retry.js";
import { IngestHeaders, createSigner } from "./Signing.js";

/** Why events left the client without being accepted. */
export type DropReason = "queue_full" | "refused" | "retries_exhausted" | "closed";

/** An event the collector listed as invalid (it went to the dead-letter topic). */
export interface Rejection {
  readonly event: object;
  readonly path: string;
  readonly reason: string;
}

export interface ClientOptions {
  /** The collector's base URL, e.g. `https://collect.example.com`. */
  readonly endpoint: string;
  readonly gameId: string;
  /** The key id (`X-Gametel-Key`). */
  readonly keyId: string;
  /** The key's secret: requests are signed. Leave out for a public write key (game clients). */
  readonly secret?: string;
  /** Ids filled into every event that does not give its own. */
  readonly defaults?: EventDefaults;
  /** Send when this many events are queued (default 100). */
  readonly maxBatchEvents?: number;
  /** ... or this many bytes of JSON (default 512 KiB, under the collector's 1 MB body limit). */
  readonly maxBatchBytes?: number;
  /** ... or when the oldest queued event waited this long, ms (default 1000). */
  readonly flushIntervalMs?: number;
  /** Most events waiting; beyond it the oldest are dropped and counted (default 10,000). */
  readonly maxQueuedEvents?: number;
  /** gzip bodies of at least this many bytes (default 1024; `false` = never). */
  readonly gzipMinBytes?: number | false;
  /** Attempts per batch after the first (default: no limit; a batch is kept until it is delivered or refused). */
  readonly maxRetries?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** One request's timeout, ms (default 30,000). */
  readonly requestTimeoutMs?: number;
  /** Called with the events of every batch the collector accepted (after Kafka acknowledged them). */
  readonly onDelivered?: (events: readonly object[]) => void;
  /** Called with events the collector rejected as invalid. */
  readonly onRejected?: (rejections: readonly Rejection[]) => void;
  /** Called with events that were dropped, and why. */
  readonly onDropped?: (events: readonly object[], reason: DropReason, detail: string) => void;
  /** Overrides (tests). */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Counters since the client was created. */
export interface ClientStats {
  readonly queued: number;
  readonly delivered: number;
  readonly rejected: number;
  readonly dropped: number;
  readonly requests: number;
  readonly retries: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Outcome =
  | {
      readonly kind: "delivered";
      readonly rejected: readonly { index: number; path: string; reason: string }[];
    }
  | { readonly kind: "retry"; readonly waitMs: number | undefined; readonly detail: string }
  | { readonly kind: "refused"; readonly status: number; readonly detail: string };

/**
 * A telemetry client for one game: `track` events, and they are batched (count, bytes, time), gzipped, signed and
 * sent to the collector; 429, 503, server errors and network errors are retried with jittered backoff (honouring
 * Retry-After) with the same `event_id`s, so a retried batch that did arrive is deduplicated downstream.
 *
 * @example
 * const telemetry = createClient({ endpoint: "http://localhost:8088", gameId: "shooter", keyId: "srv-1",
 *   secret: process.env.GAMETEL_SECRET, defaults: { server_id: "eu-1" } });
 * telemetry.track("match_start", { match_id: "m-1", data: { map: "dust", mode: "tdm" } });
 * await telemetry.close();
 */
export function createClient(options: ClientOptions) {
  const maxBatchEvents = options.maxBatchEvents ?? 100;
  const maxBatchBytes = options.maxBatchBytes ?? 512 * 1024;
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  const gzipMinBytes = options.gzipMinBytes ?? 1024;
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  const backoffBaseMs = options.backoffBaseMs ?? 250;
  const backoffMaxMs = options.backoffMaxMs ?? 30_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const defaults = options.defaults ?? {};
  if (!/^https?:\/\//.test(options.endpoint))
    throw new TypeError(`endpoint must be an http(s) URL: ${options.endpoint}`);
  const url = new URL(
    `${options.endpoint.replace(/\/+$/, "")}/v1/games/${encodeURIComponent(options.gameId)}/events`,
  );
  const signer = options.secret === undefined ? null : createSigner(options.secret);
  const encoder = new TextEncoder();

  const queue = new EventQueue(options.maxQueuedEvents ?? 10_000);
  const stats = { delivered: 0, rejected: 0, dropped: 0, requests: 0, retries: 0 };
  let sending: Promise<void> | null = null;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopRetrying = false;
  let flushing = false;

  const drop = (events: readonly object[], reason: DropReason, detail: string) => {
    if (events.length === 0) return;
    stats.dropped += events.length;
    options.onDropped?.(events, reason, detail);
  };

  function schedule(): void {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void pump(true);
    }, flushIntervalMs);
    // A queued batch must not keep a Node process alive by itself: close() flushes on the way out.
    (timer as { unref?: () => void }).unref?.();
  }

  function takeBatch(): QueuedEvent[] {
    const batch: QueuedEvent[] = [];
    let bytes = 0;
    for (let next = queue.peek(); next !== undefined; next = queue.peek()) {
      if (batch.length >= maxBatchEvents || (batch.length > 0 && bytes + next.bytes + 1 > maxBatchBytes))
        break;
      batch.push(queue.shift()!);
      bytes += next.bytes + 1;
    }
    return batch;
  }

  async function attempt(batch: readonly QueuedEvent[]): Promise<Outcome> {
    const text = batch.map((e) => e.json).join("\n");
    const plain = encoder.encode(text);
    const compress = gzipMinBytes !== false && plain.byteLength >= gzipMinBytes;
    const body = compress ? await gzip(plain) : plain;
    const headers: Record<string, string> = {
      "Content-Type": "application/x-ndjson",
      [IngestHeaders.key]: options.keyId,
    };
    if (compress) headers["Content-Encoding"] = "gzip";
    if (signer !== null) {
      // Signed anew for every attempt: the collector refuses a signature it has seen (replay protection).
      const timestamp = String(now());
      headers[IngestHeaders.timestamp] = timestamp;
      headers[IngestHeaders.signature] = await signer.sign("POST", url.pathname, timestamp, body);
    }
    stats.requests += 1;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: "POST",
        headers,
        body: body as Uint8Array<ArrayBuffer>,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      return { kind: "retry", waitMs: undefined, detail: `network: ${(error as Error).message}` };
    }
    const answer = await response.text().catch(() => "");
    if (response.ok) {
      let rejected: { index: number; path: string; reason: string }[] = [];
      try {
        rejected = (JSON.parse(answer) as { rejected?: typeof rejected }).rejected ?? [];
      } catch {
        // A 2xx without our body (a proxy?): the events were accepted.
      }
      return { kind: "delivered", rejected };
    }
    const detail = `HTTP ${response.status} ${answer.slice(0, 300)}`;
    if (RETRIABLE.has(response.status)) {
      return { kind: "retry", waitMs: retryAfterMs(response.headers.get("retry-after"), now()), detail };
    }
    return { kind: "refused", status: response.status, detail };
  }

  async function send(batch: readonly QueuedEvent[]): Promise<void> {
    for (let retry = 0; ; retry++) {
      const outcome = await attempt(batch);
      if (outcome.kind === "delivered") {
        const bad = new Set(outcome.rejected.map((r) => r.index));
        const rejections = outcome.rejected
          .filter((r) => batch[r.index] !== undefined)
          .map((r) => ({ event: batch[r.index]!.event, path: r.path, reason: r.reason }));
        stats.rejected += rejections.length;
        const accepted = batch.filter((_, i) => !bad.has(i)).map((e) => e.event);
        stats.delivered += accepted.length;
        if (rejections.length > 0) options.onRejected?.(rejections);
        options.onDelivered?.(accepted);
        return;
      }
      if (outcome.kind === "refused") {
        if (outcome.status === 413 && batch.length > 1) {
          // Too large for the collector's limits: send each half on its own.
          const half = Math.ceil(batch.length / 2);
          await send(batch.slice(0, half));
          await send(batch.slice(half));
          return;
        }
        drop(
          batch.map((e) => e.event),
          "refused",
          outcome.detail,
        );
        return;
      }
      if (retry >= maxRetries || stopRetrying) {
        drop(
          batch.map((e) => e.event),
          stopRetrying ? "closed" : "retries_exhausted",
          outcome.detail,
        );
        return;
      }
      stats.retries += 1;
      await sleep(backoffMs(retry, backoffBaseMs, backoffMaxMs, outcome.waitMs, random));
    }
  }

  /** Sends batches until the queue is empty; one request at a time, so events keep their order. */
  const batchReady = () => queue.length >= maxBatchEvents || queue.bytes >= maxBatchBytes;

  /**
   * Sends batches while a full one is queued (or, when `partial`, flushing or closing, until the queue is empty);
   * one request at a time, so events keep their order.
   */
  function pump(partial = false): Promise<void> {
    if (sending !== null) return sending;
    if (queue.length === 0) return Promise.resolve();
    sending = (async () => {
      try {
        let first = true;
        while (queue.length > 0) {
          // After the timer's partial batch, what is left waits for the next tick unless it is a full batch.
          if (!batchReady() && !flushing && !closed && !(partial && first)) break;
          first = false;
          await send(takeBatch());
        }
      } finally {
        sending = null;
        if (queue.length > 0) schedule();
      }
    })();
    return sending;
  }

  function enqueue(event: object): void {
    if (closed) {
      drop([event], "closed", "the client is closed");
      return;
    }
    const json = JSON.stringify(event);
    const dropped = queue.push({ event, json, bytes: encoder.encode(json).byteLength });
    drop(
      dropped.map((d) => d.event),
      "queue_full",
      "the queue was full: oldest events dropped",
    );
    if (batchReady()) void pump();
    else schedule();
  }

  return {
    /** Builds an event of `type` (fresh `event_id`, `event_time` now) and queues it; returns the event. */
    track<T extends EventType>(type: T, input: EventInput<T>): EventOf<T> {
      const event = buildEvent(type, input, options.gameId, defaults, now());
      enqueue(event);
      return event;
    },
    /** Queues a complete event as it is (e.g. one built elsewhere); the collector validates it. */
    enqueue,
    /** Sends everything queued now; resolves when each batch was delivered, refused or dropped. */
    async flush(): Promise<void> {
      flushing = true;
      try {
        while (queue.length > 0 || sending !== null) await pump();
      } finally {
        flushing = false;
      }
    },
    /**
     * Flushes and stops. Batches still failing after `timeoutMs` (default 10 s) are dropped with reason `closed`;
     * events tracked after close are dropped.
     */
    async close(timeoutMs = 10_000): Promise<void> {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const giveUp = setTimeout(() => (stopRetrying = true), timeoutMs);
      try {
        await this.flush();
      } finally {
        closed = true;
        clearTimeout(giveUp);
      }
    },
    stats(): ClientStats {
      return { queued: queue.length, ...stats };
    },
  };
}

export type GametelClient = ReturnType<typeof createClient>;
