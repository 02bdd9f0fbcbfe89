import type { TopicPartition } from "./Engine.js";
import type { GroupOffsets } from "../kafka/GroupOffsets.js";
import type { EngineSession } from "./EngineSession.js";

/**
 * Where an engine's group member stands, the same for every Kafka client: `Engine.assignment()`, `lag()`,
 * `caughtUp()` and `inputPartitionCount()`. What the member owns and has processed comes from its session; the
 * input's end offsets and the group's commits from its `GroupOffsets` (a client of their own: queries through
 * the consumer wait behind its fetches). Before `start()` (no session yet) and once stopped, the member owns
 * nothing, has no lag and is not caught up; before its first assignment it is not caught up either.
 *
 * An engine adapter keeps one and answers those four calls with it:
 * ```ts
 * readonly #progress = new EngineProgress(() => this.#session, () => this.#offsets);
 * lag() { return this.#progress.lag(); }
 * ```
 */
export class EngineProgress {
  readonly #session: () => EngineSession | null;
  readonly #offsets: () => GroupOffsets;

  /** Getters, so that the engine may create its session in `start()` and its offsets reader in its constructor. */
  constructor(session: () => EngineSession | null, offsets: () => GroupOffsets) {
    this.#session = session;
    this.#offsets = offsets;
  }

  /** The partitions the member owns now. */
  assignment(): readonly TopicPartition[] {
    return this.#session()?.owned() ?? [];
  }

  /** Per owned partition ("topic:partition"), records between what it processed and the end of the partition. */
  async lag(): Promise<ReadonlyMap<string, bigint>> {
    const session = this.#running();
    if (session === null) return new Map();
    return this.#offsets().lag(session.owned(), session.processed());
  }

  /** True when the GROUP has committed up to the end of every partition of the input (see `Engine.caughtUp`). */
  async caughtUp(): Promise<boolean> {
    const session = this.#running();
    if (session === null || !session.joined) return false;
    return this.#offsets().caughtUp();
  }

  /** The input topic's partition count, from fresh metadata (through the offsets reader's admin client). */
  inputPartitionCount(): Promise<number> {
    return this.#offsets().partitionCount();
  }

  #running(): EngineSession | null {
    const session = this.#session();
    return session === null || session.state === "stopped" ? null : session;
  }
}
