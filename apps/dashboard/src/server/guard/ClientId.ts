import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * Who is asking, for per-client limits: the TCP peer's address, or behind a trusted reverse proxy the last
 * X-Forwarded-For entry (the address the proxy saw; earlier entries are the client's own claim). Requests that
 * come without a socket (tests calling `app.request`) are one client, "local".
 */
export function clientId(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "local";
  } catch {
    return "local";
  }
}
