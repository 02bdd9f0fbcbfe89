import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { ODataError } from "../odata/ODataError.js";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * The keys a request carries, read the same way from every place: the key header, `Authorization: Bearer <key>`
 * and the key query parameter (every occurrence). Empty or blank values count as absent wherever they are, so an
 * empty header never hides a key given in the URL.
 */
export function presentedKeys(c: Context, header: string, param: string): string[] {
  const bearer = /^Bearer\s+(.*)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const given = [c.req.header(header), bearer, ...new URL(c.req.url).searchParams.getAll(param)];
  return given.map((key) => key?.trim() ?? "").filter((key) => key !== "");
}

/**
 * API-key check for the feed: a request needs at least one key, and every key it carries must be valid (a wrong key
 * beside a right one is refused: a client that sends two keys has a configuration error worth seeing). Keys are
 * compared as SHA-256 digests in constant time.
 */
export function apiKeyGuard(keys: readonly string[], header: string, param: string): MiddlewareHandler {
  const digests = keys.map(digest);
  return async (c, next) => {
    if (digests.length === 0) return next();
    const given = presentedKeys(c, header, param);
    if (given.length === 0) {
      throw new ODataError(
        401,
        "Unauthorized",
        `an API key is required: send it in the ${header} header or the ${param} query parameter`,
      );
    }
    const valid = (key: string) => digests.some((d) => timingSafeEqual(d, digest(key)));
    if (!given.every(valid)) {
      throw new ODataError(
        401,
        "Unauthorized",
        "this API key is not valid for this feed: check it against GAMETEL_ODATA_API_KEYS of the dashboard",
      );
    }
    return next();
  };
}
