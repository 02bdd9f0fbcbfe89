import { Binary, type Document } from "mongodb";
import type { DedupRange, DedupSlots } from "./TaskStore.js";

/**
 * How dedup slots lie in MongoDB: slot n of key k lies in bucket document `k|<n div 512>`. A write adds one packed
 * chunk per bucket it touches: field `c.<first slot mod 512>_<slots>`, a BSON binary of those consecutive slots
 * (`packDedupChunk`), so a write's size depends on the ids added since the last commit, not on how long the key has
 * lived; buckets wholly below a key's memory are dropped. A slot's content is a function of the key's records, so
 * chunks that overlap (a replay or a zombie that split its commits differently) agree on every slot they share, and
 * naming a chunk by its first slot and length means no write ever replaces a chunk with a shorter one.
 *
 * Bucket documents written before chunks existed hold one string per slot, field `s.<n mod 512>` = `<id>@<time>`;
 * they are still read.
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

/** The `$set` fields of new slots, per bucket: one packed chunk each. */
export function dedupSlotFields(slots: DedupSlots): [number, Record<string, Binary>][] {
  const out: [number, Record<string, Binary>][] = [];
  let i = 0;
  while (i < slots.ids.length) {
    const slot = slots.from + i;
    const bucket = Math.floor(slot / DEDUP_BUCKET_SLOTS);
    const end = Math.min(slots.ids.length, (bucket + 1) * DEDUP_BUCKET_SLOTS - slots.from);
    const chunk = packDedupChunk(slots.ids.slice(i, end));
    out.push([bucket, { [`c.${slot % DEDUP_BUCKET_SLOTS}_${end - i}`]: new Binary(chunk) }]);
    i = end;
  }
  return out;
}

/** The slots of a range from the loaded bucket documents (by `_id`); throws when one is missing. */
export function readDedupSlots(range: DedupRange, byId: ReadonlyMap<string, Document>): [string, number][] {
  const ids: [string, number][] = [];
  const buckets = new Map<number, Map<number, [string, number]>>();
  for (let slot = range.from; slot < range.to; slot++) {
    const bucket = Math.floor(slot / DEDUP_BUCKET_SLOTS);
    let slots = buckets.get(bucket);
    if (slots === undefined)
      buckets.set(bucket, (slots = bucketSlots(byId.get(dedupBucketId(range.key, bucket)))));
    const entry = slots.get(slot % DEDUP_BUCKET_SLOTS);
    if (entry === undefined)
      throw new Error(`dedup memory of key ${JSON.stringify(range.key)} lacks slot ${slot}`);
    ids.push(entry);
  }
  return ids;
}

/** Every slot a bucket document holds, by slot within the bucket: packed chunks, then legacy strings. */
function bucketSlots(doc: Document | undefined): Map<number, [string, number]> {
  const slots = new Map<number, [string, number]>();
  const chunks = doc?.c as Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(chunks ?? {})) {
    const bytes = value instanceof Binary ? value.buffer : value instanceof Uint8Array ? value : null;
    const first = Number.parseInt(name, 10);
    if (bytes === null || !Number.isInteger(first)) continue;
    unpackDedupChunk(bytes).forEach((entry, i) => slots.set(first + i, entry));
  }
  const legacy = doc?.s as Record<string, unknown> | undefined;
  for (const [slot, value] of Object.entries(legacy ?? {})) {
    const at = typeof value === "string" ? value.lastIndexOf("@") : -1;
    if (typeof value !== "string" || at < 0 || slots.has(Number(slot))) continue;
    slots.set(Number(slot), [value.slice(0, at), Number(value.slice(at + 1))]);
  }
  return slots;
}

const HEX_ID = /^[0-9a-f]{32}$/;
const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Largest event time packed (about year 37,000): the zigzag of a difference of two stays a safe integer. */
const MAX_TIME = 2 ** 50;

/**
 * Packs consecutive dedup entries: per entry a varint header, then the id, then the event time as a zigzag varint
 * of its difference from the previous entry's (the first from 0). Header 0: a 32-digit lowercase hex id (core's
 * normalised form) as 16 bytes; 1: a lowercase UUID with dashes, as 16 bytes; n > 1: an id of n - 2 UTF-8 bytes.
 * An entry takes about 19 bytes instead of the 50 of `<id>@<time>`, and unpacking gives back the very same string.
 */
export function packDedupChunk(entries: readonly (readonly [string, number])[]): Uint8Array {
  const out: number[] = [];
  let previous = 0;
  for (const [id, time] of entries) {
    if (HEX_ID.test(id) || DASHED_UUID.test(id)) {
      const hex = id.length === 32 ? id : id.replaceAll("-", "");
      out.push(id.length === 32 ? 0 : 1);
      for (let i = 0; i < 32; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
    } else {
      const bytes = new TextEncoder().encode(id);
      pushVarint(out, bytes.length + 2);
      for (const b of bytes) out.push(b);
    }
    if (!Number.isInteger(time) || Math.abs(time) > MAX_TIME)
      throw new Error(`dedup entry ${JSON.stringify(id)} has a time out of range: ${time}`);
    const delta = time - previous;
    pushVarint(out, delta >= 0 ? delta * 2 : -delta * 2 - 1);
    previous = time;
  }
  return Uint8Array.from(out);
}

/** The entries of a packed chunk (`packDedupChunk`'s inverse); throws on a truncated chunk. */
export function unpackDedupChunk(bytes: Uint8Array): [string, number][] {
  const entries: [string, number][] = [];
  const at = { i: 0 };
  let previous = 0;
  while (at.i < bytes.length) {
    const header = readVarint(bytes, at);
    let id: string;
    if (header <= 1) {
      if (at.i + 16 > bytes.length) throw new Error("truncated dedup chunk");
      let hex = "";
      for (let j = 0; j < 16; j++) hex += bytes[at.i + j]!.toString(16).padStart(2, "0");
      at.i += 16;
      id =
        header === 0
          ? hex
          : `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    } else {
      const end = at.i + header - 2;
      if (end > bytes.length) throw new Error("truncated dedup chunk");
      id = new TextDecoder().decode(bytes.subarray(at.i, end));
      at.i = end;
    }
    const zigzag = readVarint(bytes, at);
    previous += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    entries.push([id, previous]);
  }
  return entries;
}

/** Little-endian base-128 varint of a non-negative safe integer (arithmetic, so above 2^31 too). */
function pushVarint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function readVarint(bytes: Uint8Array, at: { i: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (at.i >= bytes.length) throw new Error("truncated dedup chunk");
    const b = bytes[at.i++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 0x80;
  }
}
