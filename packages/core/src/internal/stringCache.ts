/**
 * Strings from ASCII bytes without going through `TextDecoder`: a small fixed-size cache returns the same
 * string for repeated short values (ids, labels, event types: most strings of an event), and new strings
 * are built with `String.fromCharCode`. Memory is bounded: one slot per hash bucket, last writer wins.
 */

const SIZE = 16384;
const MASK = SIZE - 1;
/** Longer strings (event ids: UUIDs are 36) are unique per event: caching them would only evict others. */
export const MAX_CACHED_LENGTH = 32;

const slots: Array<string | undefined> = new Array<string | undefined>(SIZE).fill(undefined);
const scratch: number[] = [];
const fromCharCode = String.fromCharCode;

/** A new string of the ASCII bytes `b[start..end)`. */
export const asciiString = (b: Uint8Array, start: number, end: number): string => {
  const n = end - start;
  if (n === 36) {
    const s = start;
    // prettier-ignore
    return fromCharCode(
      b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!,
      b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!,
      b[s + 17]!, b[s + 18]!, b[s + 19]!, b[s + 20]!, b[s + 21]!, b[s + 22]!, b[s + 23]!, b[s + 24]!,
      b[s + 25]!, b[s + 26]!, b[s + 27]!, b[s + 28]!, b[s + 29]!, b[s + 30]!, b[s + 31]!, b[s + 32]!,
      b[s + 33]!, b[s + 34]!, b[s + 35]!,
    );
  }
  if (n < 4096) {
    scratch.length = n;
    for (let i = 0; i < n; i++) scratch[i] = b[start + i]!;
    // eslint-disable-next-line prefer-spread -- apply on an array: no iterator protocol
    return fromCharCode.apply(null, scratch);
  }
  let s = "";
  for (let i = start; i < end; i += 4096) s += asciiString(b, i, Math.min(end, i + 4096));
  return s;
};

/**
 * The bytes of the string being read, packed four to a word (big-endian within the word), filled by the
 * reader as it scans. With the length they identify a string of at most 32 bytes exactly, so a cache hit
 * is confirmed by comparing at most 8 words instead of every character.
 */
export const packed = new Int32Array(8);

const lengths = new Int32Array(SIZE).fill(-1);
const words = new Int32Array(SIZE * 8);

const matches = (slot: number, n: number, count: number): boolean => {
  if (lengths[slot] !== n) return false;
  const base = slot << 3;
  for (let j = 0; j < count; j++) if (words[base + j] !== packed[j]) return false;
  return true;
};

const store = (slot: number, n: number, count: number, s: string | undefined): void => {
  lengths[slot] = n;
  words.set(packed.subarray(0, count), slot << 3);
  slots[slot] = s;
};

/**
 * The string of the ASCII bytes `b[start..start+n)` (n ≤ 32) whose words are in `packed`, cached. Two
 * slots per bucket, most recent first: ids that share a bucket do not evict each other.
 */
export const cachedAsciiString = (b: Uint8Array, start: number, n: number): string => {
  const count = (n + 3) >> 2;
  let h = n;
  for (let j = 0; j < count; j++) h = Math.imul(h ^ packed[j]!, 0x9e3779b1);
  const first = (h ^ (h >>> 16)) & MASK & ~1;
  if (matches(first, n, count)) return slots[first]!;
  const second = first + 1;
  if (matches(second, n, count)) return slots[second]!;
  const s = asciiString(b, start, start + n);
  // demote the first entry to the second slot
  const base = first << 3;
  lengths[second] = lengths[first]!;
  words.copyWithin(second << 3, base, base + 8);
  slots[second] = slots[first];
  store(first, n, count, s);
  return s;
};
