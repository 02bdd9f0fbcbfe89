import { CollectorError, RefusalCodes } from "../CollectorError.js";
import type { GameKey, GameKeys } from "./GameKeys.js";
import type { ReplayCache } from "./ReplayCache.js";
import { IngestHeaders, sign, signatureMatches } from "./Signature.js";

export interface AuthenticatorOptions {
  readonly keys: GameKeys;
  readonly replayWindowMs: number;
  readonly replayCache: ReplayCache;
  readonly now: () => number;
}

type Headers = (name: string) => string | undefined;

const unauthorized = (code: string, message: string) => new CollectorError(401, code, message);

/**
 * Request authentication in two steps: `identify` before the body is read (key and timestamp: cheap refusals
 * first), `verify` once the body is in (signature and replay). Public keys have no signature.
 */
export function createAuthenticator(options: AuthenticatorOptions) {
  const { keys, replayWindowMs, replayCache, now } = options;
  return {
    identify(gameId: string, header: Headers): GameKey {
      const keyId = header(IngestHeaders.key);
      if (keyId === undefined || keyId === "") {
        throw unauthorized(RefusalCodes.missingKey, "the X-Gametel-Key header is required");
      }
      const key = keys.find(gameId, keyId);
      if (key === undefined) {
        throw unauthorized(
          RefusalCodes.unknownKey,
          `key "${keyId.slice(0, 64)}" is not a key of game "${gameId}"`,
        );
      }
      if (key.kind === "public") return key;
      const timestamp = header(IngestHeaders.timestamp);
      if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) {
        throw unauthorized(
          RefusalCodes.badTimestamp,
          "the X-Gametel-Timestamp header must be the Unix time in milliseconds",
        );
      }
      const skew = Math.abs(now() - Number(timestamp));
      if (skew > replayWindowMs) {
        throw unauthorized(
          RefusalCodes.staleTimestamp,
          `the request's timestamp is ${Math.round(skew / 1000)} s away from the collector's clock (at most ${replayWindowMs / 1000} s)`,
        );
      }
      return key;
    },

    verify(key: GameKey, method: string, path: string, header: Headers, body: Uint8Array): void {
      if (key.kind === "public") return;
      const presented = header(IngestHeaders.signature);
      if (presented === undefined || presented === "") {
        throw unauthorized(RefusalCodes.missingSignature, "the X-Gametel-Signature header is required");
      }
      const timestamp = header(IngestHeaders.timestamp) ?? "";
      const expected = sign(key.secret.reveal(), method, path, timestamp, body);
      if (!signatureMatches(expected, presented)) {
        throw unauthorized(
          RefusalCodes.badSignature,
          "the signature does not match (HMAC-SHA256 over method, path, timestamp and body SHA-256; see the README)",
        );
      }
      const expiresIn = Number(timestamp) + replayWindowMs - now();
      if (!replayCache.remember(`${key.gameId}\u0000${presented}`, expiresIn)) {
        throw unauthorized(
          RefusalCodes.replayed,
          "this signed request was already received (sign each attempt anew)",
        );
      }
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
