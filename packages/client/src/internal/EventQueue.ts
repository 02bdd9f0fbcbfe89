/** One queued event: the event and its JSON text (serialised once, so batches are sized in bytes). */
export interface QueuedEvent {
  readonly event: object;
  readonly json: string;
  readonly bytes: number;
}

/**
 * A bounded FIFO that drops the oldest events when full (a game must never grow memory because the collector is
 * away). Amortised O(1) push and shift.
 */
export class EventQueue {
  #items: (QueuedEvent | undefined)[] = [];
  #head = 0;
  #bytes = 0;

  constructor(private readonly capacity: number) {}

  /** JSON bytes of the queued events. */
  get bytes(): number {
    return this.#bytes;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Adds an event; returns the events dropped to make room (oldest first). */
  push(item: QueuedEvent): QueuedEvent[] {
    const dropped: QueuedEvent[] = [];
    while (this.length >= this.capacity) dropped.push(this.shift()!);
    this.#items.push(item);
    this.#bytes += item.bytes;
    return dropped;
  }

  peek(): QueuedEvent | undefined {
    return this.#items[this.#head];
  }

  shift(): QueuedEvent | undefined {
    if (this.length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head += 1;
    this.#bytes -= item!.bytes;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
