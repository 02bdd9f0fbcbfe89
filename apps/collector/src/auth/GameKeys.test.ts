import { describe, expect, test } from "vitest";
import { CollectorConfigError } from "../CollectorConfig.js";
import { loadGameKeys, parseGameKeys } from "./GameKeys.js";

const SECRET = "0123456789abcdef0123456789abcdef-very-secret";

describe("game keys", () => {
  test("secret and public keys, two valid keys of one game during a rotation", () => {
    const keys = parseGameKeys(
      JSON.stringify([
        { game_id: "shooter", key_id: "2026-11", secret: SECRET },
        { game_id: "shooter", key_id: "2026-12", secret: `${SECRET}-next` },
        { game_id: "shooter", key_id: "web", public: true, event_types: ["session_start"] },
      ]),
      "test",
    );
    expect(keys.size).toBe(3);
    expect(keys.games).toEqual(["shooter"]);
    expect(keys.find("shooter", "2026-11")?.kind).toBe("secret");
    expect(keys.find("shooter", "2026-12")?.kind).toBe("secret");
    const web = keys.find("shooter", "web");
    expect(web?.kind === "public" && [...web.eventTypes]).toEqual(["session_start"]);
    expect(keys.find("racing", "2026-11")).toBeUndefined();
  });

  test("a secret never shows in logs or JSON", () => {
    const key = parseGameKeys(JSON.stringify([{ game_id: "g", key_id: "k", secret: SECRET }]), "t").find(
      "g",
      "k",
    );
    expect(JSON.stringify(key)).not.toContain(SECRET);
  });

  test.each([
    ["not JSON", "{", /not valid JSON/],
    ["not an array", "{}", /non-empty JSON array/],
    ["empty", "[]", /non-empty JSON array/],
    ["bad game id", JSON.stringify([{ game_id: "a b", key_id: "k", secret: SECRET }]), /\[0\]\.game_id/],
    [
      "short secret",
      JSON.stringify([{ game_id: "g", key_id: "k", secret: "short" }]),
      /\[0\]\.secret: expected a string of at least 32/,
    ],
    [
      "duplicate",
      JSON.stringify([
        { game_id: "g", key_id: "k", secret: SECRET },
        { game_id: "g", key_id: "k", secret: SECRET },
      ]),
      /appears twice/,
    ],
    [
      "public with secret",
      JSON.stringify([{ game_id: "g", key_id: "k", public: true, secret: SECRET }]),
      /public key has no secret/,
    ],
    [
      "unknown event type",
      JSON.stringify([{ game_id: "g", key_id: "k", public: true, event_types: ["teleport"] }]),
      /event_types/,
    ],
  ])("refuses %s in one line without the secret", (_name, json, message) => {
    let error: unknown;
    try {
      parseGameKeys(json, "GAMETEL_COLLECTOR_KEYS");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CollectorConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(SECRET);
    expect((error as Error).message).not.toContain("\n");
  });

  test("from the environment or a file, not both, not neither", () => {
    expect(() => loadGameKeys({})).toThrow(/no keys/);
    expect(() => loadGameKeys({ GAMETEL_COLLECTOR_KEYS: "[]", GAMETEL_COLLECTOR_KEYS_FILE: "/x" })).toThrow(
      /not both/,
    );
    expect(() => loadGameKeys({ GAMETEL_COLLECTOR_KEYS_FILE: "/nonexistent/keys.json" })).toThrow(
      /cannot read \/nonexistent\/keys.json \(ENOENT\)/,
    );
    const inline = JSON.stringify([{ game_id: "g", key_id: "k", secret: SECRET }]);
    expect(loadGameKeys({ GAMETEL_COLLECTOR_KEYS: inline }).size).toBe(1);
  });
});
