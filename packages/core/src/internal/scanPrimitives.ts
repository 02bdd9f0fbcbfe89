/**
 * Byte-level JSON readers for the generated scanner (`scanCodegen.ts`): whitespace, strings, numbers and
 * literals, read from a UTF-8 byte array at index `i` up to `e`. Each reader returns its value (or `BAIL`
 * when the text is not what `JSON.parse` would read the same way) and leaves the index after it in
 * `at.i`.
 */
import { BAIL } from "./scanPlan.js";
import { asciiString, cachedAsciiString, MAX_CACHED_LENGTH, packed } from "./stringCache.js";
import { decodeUtf8 } from "./utf8.js";

/** Where the last reader stopped. */
export const at = { i: 0 };

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const DOT = 46;

/** Exact powers of ten: `m / 10^k` is correctly rounded for integers `m < 2^53` and `k ≤ 22`. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** The index of the first non-whitespace byte at or after `i` (JSON whitespace: space, tab, CR, LF). */
export const skipWs = (b: Uint8Array, i: number, e: number): number => {
  while (i < e) {
    const c = b[i]!;
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
  return i;
};

/** A string with multi-byte characters: strict UTF-8 decoding of just that string. */
const utf8String = (b: Uint8Array, start: number, i: number, e: number): string | typeof BAIL => {
  while (i < e) {
    const c = b[i]!;
    if (c === QUOTE) break;
    if (c < 0x20 || c === BACKSLASH) return BAIL;
    i++;
  }
  if (i >= e) return BAIL;
  at.i = i + 1;
  return decodeUtf8(b.subarray(start, i)) ?? BAIL;
};

/** Bytes that end the plain ASCII run of a string: the quote, a backslash, control bytes, non-ASCII. */
const STOP = new Uint8Array(256);
for (let c = 0; c < 256; c++) STOP[c] = c === QUOTE || c === BACKSLASH || c < 0x20 || c >= 0x80 ? 1 : 0;

/** At a `"`: the string, or BAIL on escapes, control characters or a missing end quote. */
export const readString = (b: Uint8Array, i: number, e: number): string | typeof BAIL => {
  const start = i + 1;
  i = start;
  while (i < e && STOP[b[i]!] === 0) i++;
  if (i >= e) return BAIL;
  const c = b[i]!;
  if (c !== QUOTE) return c >= 0x80 ? utf8String(b, start, i, e) : BAIL;
  at.i = i + 1;
  const n = i - start;
  if (n > MAX_CACHED_LENGTH) return asciiString(b, start, i);
  // pack the bytes four to a word for the cache
  let w = 0;
  let j = start;
  for (; j + 4 <= i; j += 4) packed[w++] = (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
  if (j < i) {
    let acc = 0;
    for (; j < i; j++) acc = (acc << 8) | b[j]!;
    packed[w] = acc;
  }
  return cachedAsciiString(b, start, n);
};

/**
 * At a `-` or digit: the number, or BAIL when the text is not a JSON number. Up to 15 significant digits
 * without exponent are exact by the fast path (`m / 10^k`); others go through `Number`, which rounds
 * like `JSON.parse`. The byte after it is checked by the caller (a delimiter).
 */
export const readNumber = (b: Uint8Array, i: number, e: number): number | typeof BAIL => {
  const start = i;
  const negative = b[i] === MINUS;
  if (negative) i++;
  if (i >= e) return BAIL;
  let c = b[i]!;
  let m = 0;
  let digits = 0;
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) {
    while (i < e && (c = b[i]!) >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      i++;
    }
  } else return BAIL;
  let frac = 0;
  if (i < e && b[i] === DOT) {
    const from = ++i;
    while (i < e && (c = b[i]!) >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      i++;
    }
    frac = i - from;
    if (frac === 0) return BAIL;
    digits += frac;
  }
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    if (i < e && (b[i] === 43 || b[i] === 45)) i++;
    const from = i;
    while (i < e && (c = b[i]!) >= 48 && c <= 57) i++;
    if (i === from) return BAIL;
    at.i = i;
    return Number(asciiString(b, start, i));
  }
  at.i = i;
  if (digits > 15) return Number(asciiString(b, start, i));
  const v = frac === 0 ? m : m / POW10[frac]!;
  return negative ? -v : v;
};

/** A string, number, boolean or null at `i`; BAIL for objects, arrays and anything malformed. */
export const readScalar = (b: Uint8Array, i: number, e: number): unknown => {
  const c = b[i];
  if (c === QUOTE) return readString(b, i, e);
  if (c === undefined) return BAIL;
  if (c === MINUS || (c >= 48 && c <= 57)) return readNumber(b, i, e);
  if (c === 116) {
    if (i + 3 < e && b[i + 1] === 114 && b[i + 2] === 117 && b[i + 3] === 101) {
      at.i = i + 4;
      return true;
    }
  } else if (c === 102) {
    if (i + 4 < e && b[i + 1] === 97 && b[i + 2] === 108 && b[i + 3] === 115 && b[i + 4] === 101) {
      at.i = i + 5;
      return false;
    }
  } else if (c === 110) {
    if (i + 3 < e && b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108) {
      at.i = i + 4;
      return null;
    }
  }
  return BAIL;
};
