/** A refused request: its HTTP status, a stable code for clients and a message for people. */
export class CollectorError extends Error {
  override readonly name = "CollectorError";

  constructor(
    readonly status: 400 | 401 | 403 | 404 | 413 | 415 | 429 | 503,
    readonly code: string,
    message: string,
    /** Seconds, for 429 and 503. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The `code` values of refused requests (also the `reason` label of the refusal metric). */
export const RefusalCodes = {
  missingKey: "missing_key",
  unknownKey: "unknown_key",
  badTimestamp: "bad_timestamp",
  staleTimestamp: "stale_timestamp",
  missingSignature: "missing_signature",
  badSignature: "bad_signature",
  replayed: "replayed",
  bodyTooLarge: "body_too_large",
  decompressedTooLarge: "decompressed_too_large",
  badEncoding: "bad_encoding",
  unsupportedMediaType: "unsupported_media_type",
  malformed: "malformed",
  tooManyEvents: "too_many_events",
  eventTooLarge: "event_too_large",
  rateLimited: "rate_limited",
  unavailable: "unavailable",
  draining: "draining",
} as const;
