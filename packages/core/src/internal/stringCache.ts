/**
 * Strings from ASCII bytes without going through `TextDecoder`: a small fixed-size cache returns the same
 * string for repeated short values (ids, labels, event types: most strings of an event), and new strings
 * are built with `String.fromCharCode`. Memory is bounded: one slot per hash bucket, last writer wins.
 */

const SIZE = 8192;
const MASK = SIZE - 1;
/** Longer strings (event ids: UUIDs are 36) are unique per event: caching them would only evict others. */
export const MAX_CACHED_LENGTH = 32;

const slots: Array<string | undefined> = new Array<string | undefined>(SIZE).fill(undefined);
const scratch: number[] = [];
const fromCharCode = String.fromCharCode;

/** One step of the FNV-1a hash the scanner computes while it reads a string's bytes. */
export const hashStep = (h: number, byte: number): number => Math.imul(h ^ byte, 0x01000193);
export const HASH_SEED = 0x811c9dc5 | 0;

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

/** The string of the ASCII bytes `b[start..end)` whose FNV-1a hash is `hash`, from the cache if there. */
export const cachedAsciiString = (b: Uint8Array, start: number, end: number, hash: number): string => {
  const n = end - start;
  if (n > MAX_CACHED_LENGTH) return asciiString(b, start, end);
  const slot = hash & MASK;
  const hit = slots[slot];
  if (hit !== undefined && hit.length === n) {
    let i = 0;
    while (i < n && hit.charCodeAt(i) === b[start + i]) i++;
    if (i === n) return hit;
  }
  const s = asciiString(b, start, end);
  slots[slot] = s;
  return s;
};
