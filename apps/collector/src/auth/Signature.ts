import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** Request headers of the wire contract (lower case, as Node and fetch report them). */
export const IngestHeaders = {
  key: "x-gametel-key",
  timestamp: "x-gametel-timestamp",
  signature: "x-gametel-signature",
} as const;

/** The signature scheme's version prefix: `X-Gametel-Signature: v1=<hex>`. */
export const SIGNATURE_PREFIX = "v1=";

/**
 * The string a client signs: method, path (no query string), timestamp header and the hex SHA-256 of the body as
 * sent (after gzip), one per line. Hashing the body first keeps the string small and lets clients stream.
 */
export function stringToSign(method: string, path: string, timestamp: string, body: Uint8Array): string {
  const bodyHash = createHash("sha256").update(body).digest("hex");
  return `${method.toUpperCase()}\n${path}\n${timestamp}\n${bodyHash}`;
}

/** `v1=` + lowercase hex HMAC-SHA256 of the string to sign. */
export function sign(
  secret: string,
  method: string,
  path: string,
  timestamp: string,
  body: Uint8Array,
): string {
  const mac = createHmac("sha256", secret)
    .update(stringToSign(method, path, timestamp, body))
    .digest("hex");
  return `${SIGNATURE_PREFIX}${mac}`;
}

/** Constant-time comparison of a presented signature with the expected one. */
export function signatureMatches(expected: string, presented: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(presented, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
