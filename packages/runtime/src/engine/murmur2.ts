/**
 * Kafka's default partitioner for keyed records, bit for bit as the Java client computes it
 * (`Utils.toPositive(Utils.murmur2(keyBytes)) % numPartitions`). kafkajs' `Partitioners.DefaultPartitioner`
 * and librdkafka's `partitioner=murmur2_random` place non-null keys the same way.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Java's `Utils.murmur2`: the signed 32-bit murmur2 hash of the bytes (a string is hashed as UTF-8). */
export function murmur2(key: Uint8Array | string): number {
  const data = typeof key === "string" ? Buffer.from(key, "utf8") : key;
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k =
      (data[i4]! & 0xff) |
      ((data[i4 + 1]! & 0xff) << 8) |
      ((data[i4 + 2]! & 0xff) << 16) |
      (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  // Java's switch falls through: 3 mixes bytes 2, 1, 0; 2 mixes 1, 0; 1 mixes 0.
  if (rest >= 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's `Utils.toPositive`: clears the sign bit (not `Math.abs`). */
export const toPositive = (n: number): number => n & 0x7fffffff;

/** The partition Kafka's Java producer picks for a non-null key. */
export function partitionForKey(key: Uint8Array | string, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new RangeError(`numPartitions must be a positive integer, got ${numPartitions}`);
  }
  return toPositive(murmur2(key)) % numPartitions;
}
