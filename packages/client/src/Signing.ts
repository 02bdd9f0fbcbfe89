/** Header names of the collector's wire contract. */
export const IngestHeaders = {
  key: "X-Gametel-Key",
  timestamp: "X-Gametel-Timestamp",
  signature: "X-Gametel-Signature",
} as const;

const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/** Lowercase hex SHA-256 of the body as sent. */
export async function sha256Hex(body: Uint8Array): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest("SHA-256", body as Uint8Array<ArrayBuffer>));
}

/**
 * A request signer for one secret (WebCrypto HMAC-SHA256, so it runs in Node 20+ and browsers alike). The signed
 * string is `METHOD\nPATH\nTIMESTAMP\nhex(SHA-256(body))`; the header value is `v1=` + lowercase hex.
 *
 * @example
 * const signer = createSigner(secret);
 * const signature = await signer.sign("POST", "/v1/games/shooter/events", String(Date.now()), body);
 */
export function createSigner(secret: string) {
  const key = globalThis.crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return {
    async sign(method: string, path: string, timestamp: string, body: Uint8Array): Promise<string> {
      const text = `${method.toUpperCase()}\n${path}\n${timestamp}\n${await sha256Hex(body)}`;
      return `v1=${hex(await globalThis.crypto.subtle.sign("HMAC", await key, encoder.encode(text)))}`;
    },
  };
}

export type Signer = ReturnType<typeof createSigner>;
