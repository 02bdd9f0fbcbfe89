import { DeadLetterHeaders } from "@gametel/runtime";

/** A record header value as the Kafka clients give it. */
export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

const text = (value: HeaderValue): string | undefined => {
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined ? undefined : one.toString();
};

/** Beyond this many distinct dead letters the tally stops remembering new ones (and says so). */
export const MAX_REMEMBERED = 1_000_000;

/**
 * Counts dead letters, and distinct ones by where they came from: the source topic, partition and offset headers
 * the processors write on each (`gametel.source.*`). Dead letters are at-least-once (a processor that crashes
 * after producing one and before committing produces it again on replay), so the records on the dead-letter topic
 * can outnumber the bad input records; the distinct count cannot. A record without those headers (not written by a
 * gametel processor) counts as distinct by its own position on the dead-letter topic.
 */
export class DeadLetterTally {
  private readonly seen = new Set<string>();
  private total = 0;
  private full = false;

  /** Counts one record of a dead-letter topic. */
  add(
    headers: Readonly<Record<string, HeaderValue>>,
    position: { topic: string; partition: number; offset: string },
  ) {
    this.total += 1;
    const topic = text(headers[DeadLetterHeaders.sourceTopic]);
    const partition = text(headers[DeadLetterHeaders.sourcePartition]);
    const offset = text(headers[DeadLetterHeaders.sourceOffset]);
    const key =
      topic !== undefined && partition !== undefined && offset !== undefined
        ? JSON.stringify([topic, partition, offset])
        : JSON.stringify(["dlq", position.topic, String(position.partition), position.offset]);
    if (this.seen.has(key)) return;
    if (this.seen.size >= MAX_REMEMBERED) {
      this.full = true;
      return;
    }
    this.seen.add(key);
  }

  /** Records read from the dead-letter topics. */
  get records(): number {
    return this.total;
  }

  /** Distinct source records among them (a lower bound once `capped`). */
  get distinct(): number {
    return this.seen.size;
  }

  /** True once more than `MAX_REMEMBERED` distinct dead letters were seen: `distinct` is then a lower bound. */
  get capped(): boolean {
    return this.full;
  }
}
