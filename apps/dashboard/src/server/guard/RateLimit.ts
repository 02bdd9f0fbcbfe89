import type { Context, MiddlewareHandler } from "hono";
import { rateLimiter } from "hono-rate-limiter";
import { ODataError } from "../odata/ODataError.js";

/**
 * Per-client rate limit (hono-rate-limiter, a fixed window per client in memory): `limit` requests per `windowMs`,
 * then 429 with `Retry-After` (seconds to the window's end) and the draft-6 `RateLimit-*` headers. Static files
 * and /healthz do not count. The memory store is per process: behind a load balancer each instance counts alone.
 */
export function rateLimit(
  limit: number,
  windowMs: number,
  clientOf: (c: Context) => string,
): MiddlewareHandler {
  if (limit === 0) return (_c, next) => next();
  const limiter = rateLimiter({
    windowMs,
    limit,
    standardHeaders: "draft-6",
    keyGenerator: clientOf,
    skip: (c) => {
      const path = new URL(c.req.url).pathname;
      return path === "/healthz" || path.startsWith("/assets/") || path === "/favicon.svg";
    },
    handler: (c) => {
      // hono-rate-limiter has set Retry-After and RateLimit-*; the body is the dashboard's one error shape.
      const info = (c.get as (key: string) => unknown)("rateLimit") as { resetTime?: Date } | undefined;
      const seconds = info?.resetTime ? (info.resetTime.getTime() - Date.now()) / 1000 : windowMs / 1000;
      throw new ODataError(
        429,
        "TooManyRequests",
        `more than ${limit} requests in ${windowMs / 1000} s from this client; slow down`,
      ).retryAfter(seconds);
    },
  });
  return limiter as MiddlewareHandler;
}
