/** Statuses worth retrying: rate limited, unavailable, and server or gateway errors. */
export const RETRIABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Retry-After as milliseconds (delay-seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long to wait before attempt `attempt + 1`: "full jitter" exponential backoff (a uniform wait up to
 * base·2^attempt, capped), but never less than the server's Retry-After, plus up to 20% jitter on top of it so
 * clients refused together do not return together.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  retryAfter: number | undefined,
  random: () => number,
): number {
  const exponential = random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  if (retryAfter === undefined) return exponential;
  return Math.max(exponential, retryAfter * (1 + 0.2 * random()));
}
