/** Allocation-free string predicates behind the field schemas (faster than the equivalent regexes). */

const ID_CHARS = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-")
  ID_CHARS[c.charCodeAt(0)] = 1;

const HEX = new Uint8Array(128);
for (const c of "0123456789abcdefABCDEF") HEX[c.charCodeAt(0)] = 1;

/** 1–`max` characters of `A-Z a-z 0-9 _ . : -`. */
export const isIdString = (s: string, max: number): boolean => {
  const n = s.length;
  if (n < 1 || n > max) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || ID_CHARS[c] === 0) return false;
  }
  return true;
};

/** Canonical 8-4-4-4-12 hex UUID, any version, either case. */
export const isUuidString = (s: string): boolean => {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (c >= 128 || HEX[c] === 0) {
      return false;
    }
  }
  return true;
};
