/**
 * The decoder's fast path: reads an event straight from its UTF-8 bytes, guided by a scan plan derived
 * from the event set's schema (`scanPlan.ts`), and validates each field with the same validator the
 * general path uses. No `TextDecoder`, no `JSON.parse`, no intermediate object: keys are compared as
 * bytes, numbers are parsed in place, repeated short strings come from a cache.
 *
 * It covers the common shape of real traffic and gives up (`BAIL`) on anything else, leaving the
 * decision and the error message to the general path: escapes in strings, unknown or repeated keys, an
 * object before `event_type`, a value the validator rejects, malformed JSON. So it can only ever return
 * what the general path would return; `FastDecode.property.test.ts` checks exactly that.
 */
import { BAIL, finishStruct, type StructPlan, type UnionPlan } from "./scanPlan.js";
import { asciiString, cachedAsciiString, HASH_SEED, hashStep } from "./stringCache.js";
import { decodeUtf8 } from "./utf8.js";

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const LBRACE = 123;
const RBRACE = 125;
const MINUS = 45;
const DOT = 46;

const EMPTY = new Uint8Array(0);
const TRUE = [116, 114, 117, 101];
const FALSE = [102, 97, 108, 115, 101];
const NULL = [110, 117, 108, 108];
/** Exact powers of ten: `m / 10^k` is correctly rounded for integers `m < 2^53` and `k ≤ 22`. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

// One scan at a time (checked by `busy`): the input and position live here for fast access.
let b: Uint8Array = EMPTY;
let p = 0;
let end = 0;
let busy = false;

/** Skips JSON whitespace and returns the next byte, or -1 at the end of the input. */
const peek = (): number => {
  const buf = b;
  const e = end;
  let i = p;
  while (i < e) {
    const c = buf[i]!;
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else {
      p = i;
      return c;
    }
  }
  p = i;
  return -1;
};

const word = (bytes: ReadonlyArray<number>): boolean => {
  if (p + bytes.length > end) return false;
  for (let i = 0; i < bytes.length; i++) if (b[p + i] !== bytes[i]) return false;
  p += bytes.length;
  return true;
};

/** A string with multi-byte characters: strict UTF-8 decoding of just that string. */
const utf8String = (start: number): string | typeof BAIL => {
  while (p < end) {
    const c = b[p]!;
    if (c === QUOTE) break;
    if (c < 0x20 || c === BACKSLASH) return BAIL;
    p++;
  }
  if (p >= end) return BAIL;
  const s = decodeUtf8(b.subarray(start, p));
  p++;
  return s ?? BAIL;
};

/** At a `"`: the string, or BAIL on escapes, control characters or a missing end quote. */
const scanString = (): string | typeof BAIL => {
  const buf = b;
  const e = end;
  const start = p + 1;
  let i = start;
  let h = HASH_SEED;
  while (i < e) {
    const c = buf[i]!;
    if (c === QUOTE) {
      p = i + 1;
      return cachedAsciiString(buf, start, i, h);
    }
    if (c < 0x20 || c === BACKSLASH) return BAIL;
    if (c >= 0x80) {
      p = i;
      return utf8String(start);
    }
    h = hashStep(h, c);
    i++;
  }
  return BAIL;
};

/**
 * At a `-` or digit: the number, or BAIL when the text is not a JSON number. Up to 15 significant digits
 * without exponent are exact by the fast path (`m / 10^k`); others go through `Number`, which rounds
 * like `JSON.parse`. The byte after it is checked by the caller (a delimiter).
 */
const scanNumber = (): number | typeof BAIL => {
  const buf = b;
  const e = end;
  const start = p;
  let i = p;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  if (i >= e) return BAIL;
  let c = buf[i]!;
  let m = 0;
  let digits = 0;
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) {
    while (i < e && (c = buf[i]!) >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      i++;
    }
  } else return BAIL;
  let frac = 0;
  if (i < e && buf[i] === DOT) {
    const from = ++i;
    while (i < e && (c = buf[i]!) >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      i++;
    }
    frac = i - from;
    if (frac === 0) return BAIL;
    digits += frac;
  }
  if (i < e && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    if (i < e && (buf[i] === 43 || buf[i] === 45)) i++;
    const from = i;
    while (i < e && (c = buf[i]!) >= 48 && c <= 57) i++;
    if (i === from) return BAIL;
    p = i;
    return Number(asciiString(buf, start, i));
  }
  p = i;
  if (digits > 15) return Number(asciiString(buf, start, i));
  const v = frac === 0 ? m : m / POW10[frac]!;
  return negative ? -v : v;
};

/** A string, number, boolean or null; BAIL for objects, arrays and anything malformed. */
const scanScalar = (): unknown => {
  const c = b[p]!;
  if (c === QUOTE) return scanString();
  if (c === MINUS || (c >= 48 && c <= 57)) return scanNumber();
  if (c === 116) return word(TRUE) ? true : BAIL;
  if (c === 102) return word(FALSE) ? false : BAIL;
  if (c === 110) return word(NULL) ? null : BAIL;
  return BAIL;
};

const keyAt = (key: Uint8Array): boolean => {
  const buf = b;
  const n = key.length;
  const at = p + 1;
  if (at + n >= end || buf[at + n] !== QUOTE) return false;
  for (let i = 0; i < n; i++) if (buf[at + i] !== key[i]) return false;
  return true;
};

/** At a `"`: the index of the declared key there (trying the learned next key first), or -1. */
const matchKey = (plan: StructPlan | UnionPlan, previous: number): number => {
  const keys = plan.keys;
  const predicted = previous < 0 ? plan.first : plan.next[previous]!;
  let found = -1;
  if (predicted >= 0 && keyAt(keys[predicted]!)) found = predicted;
  else {
    for (let i = 0; i < keys.length; i++) {
      if (i !== predicted && keyAt(keys[i]!)) {
        found = i;
        break;
      }
    }
    if (found < 0) return -1;
    if (previous < 0) plan.first = found;
    else plan.next[previous] = found;
  }
  p += keys[found]!.length + 2;
  return found;
};

/** At a `{`: the struct, validated and built, or BAIL. */
const scanStruct = (plan: StructPlan): unknown => {
  p++;
  const fields = plan.fields;
  const values = plan.values;
  let seen = 0;
  let previous = -1;
  let c = peek();
  if (c === RBRACE) {
    p++;
    return finishStruct(plan, values, 0);
  }
  for (;;) {
    if (c !== QUOTE) return BAIL;
    const i = matchKey(plan, previous);
    if (i < 0 || (seen & (1 << i)) !== 0) return BAIL; // unknown key (dropped or unsafe) or repeated key
    seen |= 1 << i;
    previous = i;
    if (peek() !== COLON) return BAIL;
    p++;
    c = peek();
    const struct = fields[i]!.struct;
    let v: unknown;
    if (struct !== undefined) v = c === LBRACE ? scanStruct(struct) : BAIL;
    else v = c < 0 ? BAIL : scanScalar();
    if (v === BAIL) return BAIL;
    values[i] = v;
    c = peek();
    if (c === COMMA) {
      p++;
      c = peek();
    } else if (c === RBRACE) {
      p++;
      return finishStruct(plan, values, seen);
    } else return BAIL;
  }
};

/** At a `{`: an event of the union, or BAIL. Scalars may precede the tag; objects may not. */
const scanUnion = (plan: UnionPlan): unknown => {
  p++;
  const raw = plan.raw;
  let member = undefined as ReturnType<UnionPlan["members"]["get"]>;
  let seen = 0;
  let previous = -1;
  let c = peek();
  for (;;) {
    if (c !== QUOTE) return BAIL;
    const slot = matchKey(plan, previous);
    if (slot < 0 || (seen & (1 << slot)) !== 0) return BAIL;
    seen |= 1 << slot;
    previous = slot;
    if (peek() !== COLON) return BAIL;
    p++;
    c = peek();
    let v: unknown;
    if (c === LBRACE) {
      if (member === undefined) return BAIL;
      const field = member.fieldOfSlot[slot]!;
      const struct = field < 0 ? undefined : member.struct.fields[field]!.struct;
      v = struct === undefined ? BAIL : scanStruct(struct);
    } else v = c < 0 ? BAIL : scanScalar();
    if (v === BAIL) return BAIL;
    raw[slot] = v;
    if (slot === plan.tagSlot) {
      member = plan.members.get(v);
      if (member === undefined) return BAIL;
    }
    c = peek();
    if (c === COMMA) {
      p++;
      c = peek();
    } else if (c === RBRACE) {
      p++;
      break;
    } else return BAIL;
  }
  if (member === undefined) return BAIL;
  const values = member.struct.values;
  let memberSeen = 0;
  for (let slot = 0; slot < plan.slots.length; slot++) {
    if ((seen & (1 << slot)) === 0) continue;
    const field = member.fieldOfSlot[slot]!;
    if (field < 0) return BAIL; // a key of another event type: the general path drops it
    values[field] = raw[slot];
    memberSeen |= 1 << field;
  }
  return finishStruct(member.struct, values, memberSeen);
};

/**
 * Scans one event from `bytes` with the union plan of its event set: the decoded event, or BAIL when the
 * general path must decide. Never throws.
 */
export const scanEvent = (plan: UnionPlan, bytes: Uint8Array): unknown => {
  if (busy) return BAIL; // re-entered from a refinement: let the general path handle it
  busy = true;
  b = bytes;
  p = 0;
  end = bytes.length;
  try {
    if (peek() !== LBRACE) return BAIL;
    const event = scanUnion(plan);
    return event === BAIL || peek() !== -1 ? BAIL : event;
  } catch {
    return BAIL;
  } finally {
    b = EMPTY;
    busy = false;
  }
};
