/**
 * How long an engine waits for an unreachable Kafka cluster, as a pure state machine over a clock: the engines report
 * what their client tells them (`unreachable` on a connection error, `reachable` on a successful request) and ask
 * `check()` on a timer. Both engines share it, so an outage is handled the same way whatever the client.
 *
 * While the brokers are unreachable the engine waits (no record is committed past what is applied, so nothing is
 * lost); a warn line at most every `warnEveryMs`; once `patienceMs` is spent the engine gives up and the process
 * exits non-zero, and the next start resumes from the last commit.
 */
export interface BrokerPatienceOptions {
  /** Give up after the brokers were unreachable this long (ms). */
  readonly patienceMs: number;
  /** At most one warn line per this many ms while waiting (default 10 s). */
  readonly warnEveryMs?: number;
}

/** What the engine does now. */
export type PatienceVerdict =
  /** The brokers answer. */
  | { readonly kind: "reachable" }
  /** Unreachable, within patience; `warn` when a warn line is due (rate-limited). */
  | {
      readonly kind: "waiting";
      readonly downForMs: number;
      readonly remainingMs: number;
      readonly warn: boolean;
      readonly reason: string;
    }
  /** Unreachable for the whole patience: give up. */
  | { readonly kind: "exhausted"; readonly downForMs: number; readonly reason: string };

const DEFAULT_WARN_EVERY_MS = 10_000;

export class BrokerPatience {
  readonly #patienceMs: number;
  readonly #warnEveryMs: number;
  /** Epoch ms of the first failure of the current outage; null while reachable. */
  #since: number | null = null;
  #lastWarn = Number.NEGATIVE_INFINITY;
  #reason = "";
  #recoveries = 0;

  constructor(options: BrokerPatienceOptions) {
    if (!(options.patienceMs > 0)) throw new RangeError("patienceMs must be positive");
    this.#patienceMs = options.patienceMs;
    this.#warnEveryMs = options.warnEveryMs ?? DEFAULT_WARN_EVERY_MS;
  }

  get patienceMs(): number {
    return this.#patienceMs;
  }

  /** Outages that ended with the brokers answering again. */
  get recoveries(): number {
    return this.#recoveries;
  }

  /** Epoch ms since which the brokers are unreachable, or null. */
  get unreachableSince(): number | null {
    return this.#since;
  }

  /** How long the current outage lasts at `now` (0 while reachable). */
  downForMs(now: number): number {
    return this.#since === null ? 0 : Math.max(0, now - this.#since);
  }

  /** A request failed because no broker answered (`reason`: the client's message). */
  unreachable(now: number, reason: string): PatienceVerdict {
    if (this.#since === null) this.#since = now;
    this.#reason = reason;
    return this.check(now);
  }

  /**
   * A request succeeded. Returns the length of the outage it ends (ms), or null when there was none.
   */
  reachable(now: number): number | null {
    if (this.#since === null) return null;
    const downFor = this.downForMs(now);
    this.#since = null;
    this.#lastWarn = Number.NEGATIVE_INFINITY;
    this.#recoveries += 1;
    return downFor;
  }

  /** The verdict at `now`; a due warn line is counted as written. */
  check(now: number): PatienceVerdict {
    if (this.#since === null) return { kind: "reachable" };
    const downForMs = this.downForMs(now);
    if (downForMs >= this.#patienceMs) return { kind: "exhausted", downForMs, reason: this.#reason };
    const warn = now - this.#lastWarn >= this.#warnEveryMs;
    if (warn) this.#lastWarn = now;
    return {
      kind: "waiting",
      downForMs,
      remainingMs: this.#patienceMs - downForMs,
      warn,
      reason: this.#reason,
    };
  }
}
