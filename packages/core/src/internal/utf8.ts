/** UTF-8 helpers over the platform TextDecoder (present in browsers, Node, Deno, Bun, workers). */
interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
type DecoderConstructor = new (label: string, options: { fatal: boolean }) => Utf8Decoder;

const Ctor = (globalThis as unknown as { TextDecoder?: DecoderConstructor }).TextDecoder;
let decoder: Utf8Decoder | undefined;

/** Decodes UTF-8 strictly: returns undefined on malformed input. */
export const decodeUtf8 = (bytes: Uint8Array): string | undefined => {
  if (Ctor === undefined) throw new Error("@gametel/core needs a global TextDecoder");
  decoder ??= new Ctor("utf-8", { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
};

/** Exact UTF-8 length of a JS string (lone surrogates count as the 3 bytes of U+FFFD). */
export const utf8Length = (s: string): number => {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
};
