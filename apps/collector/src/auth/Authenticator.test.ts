import { describe, expect, test } from "vitest";
import { CollectorError } from "../CollectorError.js";
import { createAuthenticator } from "./Authenticator.js";
import { parseGameKeys } from "./GameKeys.js";
import { ReplayCache } from "./ReplayCache.js";
import { sign } from "./Signature.js";

const SECRET = "0123456789abcdef0123456789abcdef";
const keys = parseGameKeys(
  JSON.stringify([
    { game_id: "g", key_id: "k", secret: SECRET },
    { game_id: "g", key_id: "pub", public: true },
  ]),
  "t",
);
const PATH = "/v1/games/g/events";
const body = Buffer.from("[]");

function setup(start = 1_000_000) {
  let clock = start;
  const auth = createAuthenticator({
    keys,
    replayWindowMs: 300_000,
    replayCache: new ReplayCache(100, () => clock),
    now: () => clock,
  });
  return { auth, tick: (ms: number) => (clock += ms), now: () => clock };
}

const headersOf = (h: Record<string, string>) => (name: string) => h[name];

function code(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof CollectorError ? `${error.status} ${error.code}` : String(error);
  }
}

describe("authenticator", () => {
  test("a signed request passes once; its replay inside the window is refused, outside it is stale", () => {
    const { auth, tick, now } = setup();
    const timestamp = String(now());
    const h = headersOf({
      "x-gametel-key": "k",
      "x-gametel-timestamp": timestamp,
      "x-gametel-signature": sign(SECRET, "POST", PATH, timestamp, body),
    });
    const run = () => auth.verify(auth.identify("g", h), "POST", PATH, h, body);
    expect(code(run)).toBeUndefined();
    tick(299_000);
    expect(code(run)).toBe("401 replayed");
    tick(2_000);
    expect(code(run)).toBe("401 stale_timestamp");
  });

  test("a public key needs no signature", () => {
    const { auth } = setup();
    const h = headersOf({ "x-gametel-key": "pub" });
    expect(code(() => auth.verify(auth.identify("g", h), "POST", PATH, h, body))).toBeUndefined();
  });

  test("the signature covers method and path", () => {
    const { auth, now } = setup();
    const timestamp = String(now());
    const h = headersOf({
      "x-gametel-key": "k",
      "x-gametel-timestamp": timestamp,
      "x-gametel-signature": sign(SECRET, "POST", "/v1/games/h/events", timestamp, body),
    });
    expect(code(() => auth.verify(auth.identify("g", h), "POST", PATH, h, body))).toBe("401 bad_signature");
  });
});

describe("replay cache", () => {
  test("remembers until expiry, bounded by dropping the oldest", () => {
    let clock = 0;
    const cache = new ReplayCache(3, () => clock);
    expect(cache.remember("a", 100)).toBe(true);
    expect(cache.remember("a", 100)).toBe(false);
    expect(cache.remember("b", 100)).toBe(true);
    expect(cache.remember("c", 100)).toBe(true);
    expect(cache.remember("d", 100)).toBe(true);
    expect(cache.size).toBe(3);
    expect(cache.remember("a", 100)).toBe(true); // forgotten: the bound dropped it
    clock = 150;
    expect(cache.remember("e", 100)).toBe(true);
    expect(cache.size).toBe(1);
  });
});
