import { topicPartitionKey, type TopicPartition } from "./Engine.js";

export interface Watermarks {
  readonly low: bigint;
  readonly high: bigint;
}

/**
 * Lag of each owned partition: high watermark minus the position, where the position is this member's
 * processed position, else the group's committed offset, else the log start (never below zero).
 */
export function partitionLag(
  owned: readonly TopicPartition[],
  watermarks: ReadonlyMap<string, Watermarks>,
  processed: ReadonlyMap<string, bigint>,
  committed: ReadonlyMap<string, bigint>,
): Map<string, bigint> {
  const lag = new Map<string, bigint>();
  for (const tp of owned) {
    const key = topicPartitionKey(tp);
    const marks = watermarks.get(key);
    if (marks === undefined) continue;
    const position = processed.get(key) ?? committed.get(key) ?? marks.low;
    lag.set(key, marks.high > position ? marks.high - position : 0n);
  }
  return lag;
}

/** True when, for every partition, the group's committed offset (or the log start) reached the high watermark. */
export function groupCaughtUp(
  partitions: readonly TopicPartition[],
  watermarks: ReadonlyMap<string, Watermarks>,
  committed: ReadonlyMap<string, bigint>,
): boolean {
  return partitions.every((tp) => {
    const key = topicPartitionKey(tp);
    const marks = watermarks.get(key);
    if (marks === undefined) return false;
    const position = committed.get(key) ?? marks.low;
    return position >= marks.high;
  });
}
