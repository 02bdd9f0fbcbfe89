import type { Counter, Gauge } from "prom-client";
import type { Logger } from "../ops/Logger.js";
import { BrokerPatience } from "./BrokerPatience.js";

/** The patience was spent: the engine gives up and the process exits non-zero. */
export class BrokerUnreachableError extends Error {
  override readonly name = "BrokerUnreachableError";
}

export interface BrokerOutageOptions {
  /** `--broker-patience-ms`. */
  readonly patienceMs: number;
  readonly logger: Logger;
  /** Called once when the patience is spent (engines fail their session with it). */
  readonly onExhausted: (error: BrokerUnreachableError) => void;
  /** The outage gauge (seconds) and the reconnects counter; absent in tests without metrics. */
  readonly metrics?: { readonly unreachable: Gauge; readonly reconnects: Counter };
  /** Re-check every this many ms during an outage (default 1 s). */
  readonly checkEveryMs?: number;
  readonly warnEveryMs?: number;
  readonly now?: () => number;
}

/** The first line of an error and its causes, for log fields and the exit line. */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    const message = current instanceof Error ? `${current.name}: ${current.message}` : String(current);
    if (!parts.includes(message)) parts.push(message.split("\n")[0]!);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(" <- ");
}

/**
 * The engines' shared handling of a broker outage, around `BrokerPatience`: engines call `unreachable(error)` when
 * their client says no broker answers and `reachable()` on a successful request. While it lasts: the gauge
 * `gametel_stream_broker_unreachable_seconds` rises, a warn line at most every 10 s; when the brokers answer again
 * one info line and `gametel_stream_broker_reconnects_total` + 1; once the patience is spent `onExhausted` once,
 * with an error whose message is the exit line.
 */
export class BrokerOutage {
  readonly #patience: BrokerPatience;
  readonly #options: BrokerOutageOptions;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | null = null;
  #exhausted: BrokerUnreachableError | null = null;
  #closed = false;

  constructor(options: BrokerOutageOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#patience = new BrokerPatience({
      patienceMs: options.patienceMs,
      ...(options.warnEveryMs === undefined ? {} : { warnEveryMs: options.warnEveryMs }),
    });
  }

  /** True once the patience was spent. */
  get exhausted(): boolean {
    return this.#exhausted !== null;
  }

  /** True during an outage. */
  get down(): boolean {
    return this.#patience.unreachableSince !== null;
  }

  /** A request failed because no broker answered. Returns whether the engine should keep waiting. */
  unreachable(error: unknown): boolean {
    if (this.#closed) return false;
    if (this.#exhausted !== null) return false;
    this.#apply(this.#patience.unreachable(this.#now(), describeCause(error)));
    if (this.#timer === null && this.#exhausted === null) {
      this.#timer = setInterval(
        () => this.#apply(this.#patience.check(this.#now())),
        this.#options.checkEveryMs ?? 1_000,
      );
      this.#timer.unref();
    }
    return this.#exhausted === null;
  }

  /** A request succeeded: an outage, if any, is over. */
  reachable(): void {
    if (this.#exhausted !== null) return;
    const downFor = this.#patience.reachable(this.#now());
    if (downFor === null) return;
    this.#stopTimer();
    this.#options.metrics?.unreachable.set(0);
    this.#options.metrics?.reconnects.inc();
    this.#options.logger.info(
      { downForMs: downFor, recoveries: this.#patience.recoveries },
      `Kafka answers again after ${(downFor / 1000).toFixed(1)} s`,
    );
  }

  close(): void {
    this.#closed = true;
    this.#stopTimer();
  }

  #apply(verdict: ReturnType<BrokerPatience["check"]>): void {
    if (verdict.kind === "reachable" || this.#exhausted !== null) return;
    this.#options.metrics?.unreachable.set(verdict.downForMs / 1000);
    if (verdict.kind === "waiting") {
      if (verdict.warn) {
        this.#options.logger.warn(
          { downForMs: verdict.downForMs, remainingMs: verdict.remainingMs, cause: verdict.reason },
          `Kafka unreachable for ${(verdict.downForMs / 1000).toFixed(0)} s; waiting up to ${(this.#patience.patienceMs / 1000).toFixed(0)} s (--broker-patience-ms)`,
        );
      }
      return;
    }
    this.#stopTimer();
    this.#exhausted = new BrokerUnreachableError(
      `Kafka unreachable for ${(verdict.downForMs / 1000).toFixed(0)} s, the whole --broker-patience-ms (${this.#patience.patienceMs} ms): giving up; offsets were committed only for applied results, so the next start resumes exactly (last error: ${verdict.reason})`,
    );
    this.#options.onExhausted(this.#exhausted);
  }

  #stopTimer(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
