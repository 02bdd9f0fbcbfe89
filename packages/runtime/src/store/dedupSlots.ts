import type { Document } from "mongodb";
import type { DedupRange, DedupSlots } from "./TaskStore.js";

/**
 * How dedup slots lie in MongoDB: slot n of key k is field `s.<n mod 512>` of bucket document `k|<n div 512>`, a
 * string `<id>@<event_time>`. Writes `$set` only the new slots, so a write's size depends on the ids added since the
 * last commit, not on how long the key has lived; buckets wholly below a key's memory are dropped.
 */
export const DEDUP_BUCKET_SLOTS = 512;

export const dedupBucketId = (key: string, bucket: number): string => `${key}|${bucket}`;

/** The buckets holding slots `from` to `to - 1`. */
export function dedupBuckets(from: number, to: number): number[] {
  const buckets: number[] = [];
  if (to <= from) return buckets;
  for (let b = Math.floor(from / DEDUP_BUCKET_SLOTS); b <= Math.floor((to - 1) / DEDUP_BUCKET_SLOTS); b++)
    buckets.push(b);
  return buckets;
}

/** The `$set` fields of new slots, per bucket. */
export function dedupSlotFields(slots: DedupSlots): [number, Record<string, string>][] {
  const byBucket = new Map<number, Record<string, string>>();
  slots.ids.forEach(([id, time], i) => {
    const slot = slots.from + i;
    const bucket = Math.floor(slot / DEDUP_BUCKET_SLOTS);
    let fields = byBucket.get(bucket);
    if (fields === undefined) byBucket.set(bucket, (fields = {}));
    fields[`s.${slot % DEDUP_BUCKET_SLOTS}`] = `${id}@${time}`;
  });
  return [...byBucket];
}

/** The slots of a range from the loaded bucket documents (by `_id`); throws when one is missing. */
export function readDedupSlots(range: DedupRange, byId: ReadonlyMap<string, Document>): [string, number][] {
  const ids: [string, number][] = [];
  for (let slot = range.from; slot < range.to; slot++) {
    const bucket = Math.floor(slot / DEDUP_BUCKET_SLOTS);
    const slots = byId.get(dedupBucketId(range.key, bucket))?.s as Record<string, unknown> | undefined;
    const value = slots?.[String(slot % DEDUP_BUCKET_SLOTS)];
    const at = typeof value === "string" ? value.lastIndexOf("@") : -1;
    if (typeof value !== "string" || at < 0)
      throw new Error(`dedup memory of key ${JSON.stringify(range.key)} lacks slot ${slot}`);
    ids.push([value.slice(0, at), Number(value.slice(at + 1))]);
  }
  return ids;
}
