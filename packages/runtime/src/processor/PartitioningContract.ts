import { partitionForKey } from "../engine/murmur2.js";

/**
 * The partitioning contract: an event must be on partition `murmur2(partitionKey(event)) mod partitions` of the
 * input topic, as Kafka's Java producer (and kafkajs' default partitioner, and librdkafka with
 * `partitioner=murmur2_random`) places a record keyed by the partition key. A key's state lives with one partition;
 * a record elsewhere would be applied by another task against an empty or stale state, so the loop dead-letters it
 * with this reason. The record key itself is not checked: a null key on the right partition is fine.
 */
export function misPartitionedReason(key: string, partition: number, partitions: number): string | null {
  const expected = partitionForKey(key, partitions);
  if (expected === partition) return null;
  return (
    `wrong partition: partition key ${JSON.stringify(key)} belongs to partition ${expected} of ${partitions} ` +
    `(murmur2), the record is on partition ${partition}; produce keyed by the partition key with a murmur2 ` +
    `partitioner (librdkafka: partitioner=murmur2_random; Java and kafkajs: the default partitioner)`
  );
}
