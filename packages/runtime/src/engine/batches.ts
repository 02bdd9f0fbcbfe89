import type { ConsumedRecord, PartitionBatch } from "./Engine.js";

/** Splits records (of any partitions, each partition's records in offset order) into per-partition batches. */
export function toPartitionBatches(records: readonly ConsumedRecord[]): PartitionBatch[] {
  const byPartition = new Map<string, { topic: string; partition: number; records: ConsumedRecord[] }>();
  for (const record of records) {
    const key = `${record.topic}:${record.partition}`;
    let batch = byPartition.get(key);
    if (batch === undefined) {
      batch = { topic: record.topic, partition: record.partition, records: [] };
      byPartition.set(key, batch);
    }
    batch.records.push(record);
  }
  return [...byPartition.values()];
}

/** Consecutive slices of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
