import { describe, expect, it, test } from "vitest";
import { decodeEvent, decodeEventUnknown, decodeEventWithSchema, DEFAULT_MAX_EVENT_BYTES } from "./Decode.js";
import { EVENT_TYPES, partitionKey } from "./Event.js";

const encoder = new (
  globalThis as unknown as { TextEncoder: new () => { encode(s: string): Uint8Array } }
).TextEncoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);

const envelope = {
  event_id: "0190f5a2-3b4c-7d8e-9f01-23456789abcd",
  event_version: 1,
  event_time: 1732760000123,
  game_id: "arena",
  server_id: "eu-west.1:srv-7",
  match_id: "m-42",
  player_id: "p-1",
  session_id: "s-1",
};

const valid: Record<string, Record<string, unknown>> = {
  session_start: {
    ...envelope,
    event_type: "session_start",
    match_id: null,
    data: { platform: "pc", region: "eu", client_version: "1.2.3" },
  },
  session_end: { ...envelope, event_type: "session_end", match_id: null, data: { reason: "quit" } },
  match_start: {
    ...envelope,
    event_type: "match_start",
    player_id: null,
    data: { map: "dust", mode: "tdm" },
  },
  match_end: { ...envelope, event_type: "match_end", player_id: null, data: { winning_team: "red" } },
  player_spawn: {
    ...envelope,
    event_type: "player_spawn",
    data: { life: 1, team: "red", position: { x: 1, y: 2, z: 3 } },
  },
  player_move: {
    ...envelope,
    event_type: "player_move",
    data: { life: 2, position: { x: -1.5, y: 0, z: 1e3 } },
  },
  shot_fired: { ...envelope, event_type: "shot_fired", data: { weapon: "rifle" } },
  player_hit: {
    ...envelope,
    event_type: "player_hit",
    data: { target_id: "p-2", weapon: "rifle", damage: 33.5, headshot: true },
  },
  player_kill: {
    ...envelope,
    event_type: "player_kill",
    data: { victim_id: "p-2", weapon: "rifle", headshot: false, distance_m: 12.5 },
  },
  player_death: {
    ...envelope,
    event_type: "player_death",
    data: { life: 1, killer_id: "p-3", cause: "shot" },
  },
  perf_sample: {
    ...envelope,
    event_type: "perf_sample",
    player_id: null,
    match_id: null,
    data: { fps: 144, ping_ms: 23 },
  },
};

const withData = (type: string, data: Record<string, unknown>) => ({
  ...valid[type],
  data: { ...(valid[type]!["data"] as object), ...data },
});
const without = (o: Record<string, unknown>, key: string) => {
  const { [key]: _dropped, ...rest } = o;
  return rest;
};

const accepted: Array<[string, unknown]> = [
  ...Object.entries(valid),
  ["optional ids omitted", without(without(valid["session_start"]!, "match_id"), "session_id")],
  ["match_start without player_id", without(valid["match_start"]!, "player_id")],
  ["match_end winning_team null", withData("match_end", { winning_team: null })],
  ["match_end winning_team missing", { ...valid["match_end"], data: {} }],
  ["session_end without reason", { ...valid["session_end"], data: {} }],
  ["spawn without team", { ...valid["player_spawn"], data: { life: 3, position: { x: 0, y: 0, z: 0 } } }],
  [
    "kill without distance",
    { ...valid["player_kill"], data: { victim_id: "p-2", weapon: "knife", headshot: true } },
  ],
  ["death with null killer", withData("player_death", { killer_id: null })],
  ["perf with only packet_loss", { ...valid["perf_sample"], data: { packet_loss: 0.5 } }],
  ["perf with a player", { ...valid["perf_sample"], player_id: "p-1" }],
  [
    "unknown extra fields are dropped",
    { ...valid["shot_fired"], extra: { nested: [1, 2] }, data: { weapon: "smg", ammo: 30 } },
  ],
  ["uppercase UUID", { ...valid["shot_fired"], event_id: "0190F5A2-3B4C-7D8E-9F01-23456789ABCD" }],
  ["event_time 0", { ...valid["shot_fired"], event_time: 0 }],
  ["64-char id", { ...valid["shot_fired"], player_id: "a".repeat(64) }],
  ["damage 0", withData("player_hit", { damage: 0 })],
];

const rejected: Array<[string, unknown, string]> = [
  ["not an object", 42, ""],
  ["array", [valid["shot_fired"]], ""],
  ["null", null, ""],
  ["missing event_type", without(valid["shot_fired"]!, "event_type"), "event_type"],
  ["unknown event_type", { ...valid["shot_fired"], event_type: "teleport" }, "event_type"],
  ["event_type not a string", { ...valid["shot_fired"], event_type: 7 }, "event_type"],
  ["event_version 2", { ...valid["shot_fired"], event_version: 2 }, "event_version"],
  ["missing event_id", without(valid["shot_fired"]!, "event_id"), "event_id"],
  ["event_id not a UUID", { ...valid["shot_fired"], event_id: "not-a-uuid" }, "event_id"],
  ["event_time fractional", { ...valid["shot_fired"], event_time: 1.5 }, "event_time"],
  ["event_time negative", { ...valid["shot_fired"], event_time: -1 }, "event_time"],
  ["event_time as string", { ...valid["shot_fired"], event_time: "1732760000123" }, "event_time"],
  ["event_time infinite", { ...valid["shot_fired"], event_time: Infinity }, "event_time"],
  ["game_id empty", { ...valid["shot_fired"], game_id: "" }, "game_id"],
  ["game_id with space", { ...valid["shot_fired"], game_id: "my game" }, "game_id"],
  ["server_id too long", { ...valid["shot_fired"], server_id: "s".repeat(65) }, "server_id"],
  ["player event without player_id", without(valid["shot_fired"]!, "player_id"), "player_id"],
  ["player_match event with null match_id", { ...valid["player_kill"], match_id: null }, "match_id"],
  ["match event with a player_id", { ...valid["match_start"], player_id: "p-1" }, "player_id"],
  ["match event without match_id", without(valid["match_end"]!, "match_id"), "match_id"],
  ["session_id wrong type", { ...valid["shot_fired"], session_id: 5 }, "session_id"],
  ["missing data", without(valid["shot_fired"]!, "data"), "data"],
  ["data not an object", { ...valid["shot_fired"], data: "rifle" }, "data"],
  ["spawn life 0", withData("player_spawn", { life: 0 }), "data.life"],
  ["spawn life fractional", withData("player_spawn", { life: 1.5 }), "data.life"],
  ["spawn position missing z", withData("player_spawn", { position: { x: 1, y: 2 } }), "data.position.z"],
  [
    "move position x not a number",
    withData("player_move", { position: { x: "1", y: 2, z: 3 } }),
    "data.position.x",
  ],
  [
    "move position y non-finite",
    withData("player_move", { position: { x: 1, y: NaN, z: 3 } }),
    "data.position.y",
  ],
  ["shot weapon empty", withData("shot_fired", { weapon: "" }), "data.weapon"],
  ["shot weapon over 128 chars", withData("shot_fired", { weapon: "w".repeat(129) }), "data.weapon"],
  ["hit negative damage", withData("player_hit", { damage: -1 }), "data.damage"],
  ["hit headshot not boolean", withData("player_hit", { headshot: "yes" }), "data.headshot"],
  ["hit bad target_id", withData("player_hit", { target_id: "p 2" }), "data.target_id"],
  [
    "kill missing victim_id",
    { ...valid["player_kill"], data: { weapon: "rifle", headshot: false } },
    "data.victim_id",
  ],
  ["kill negative distance", withData("player_kill", { distance_m: -3 }), "data.distance_m"],
  ["kill null distance", withData("player_kill", { distance_m: null }), "data.distance_m"],
  ["death missing cause", { ...valid["player_death"], data: { life: 1, killer_id: null } }, "data.cause"],
  ["death killer_id number", withData("player_death", { killer_id: 3 }), "data.killer_id"],
  [
    "session_start missing region",
    { ...valid["session_start"], data: { platform: "pc", client_version: "1" } },
    "data.region",
  ],
  ["session_end reason null", withData("session_end", { reason: null }), "data.reason"],
  ["match_start missing map", { ...valid["match_start"], data: { mode: "tdm" } }, "data.map"],
  ["perf with no metric", { ...valid["perf_sample"], data: {} }, "data"],
  ["perf fps 0", { ...valid["perf_sample"], data: { fps: 0 } }, "data.fps"],
  ["perf packet_loss above 1", { ...valid["perf_sample"], data: { packet_loss: 1.2 } }, "data.packet_loss"],
  ["perf ping negative", { ...valid["perf_sample"], data: { ping_ms: -4 } }, "data.ping_ms"],
  ["top-level $ key", { ...valid["shot_fired"], $where: "1" }, "$where"],
  ["dotted key in data", withData("shot_fired", { "a.b": 1 }), 'data["a.b"]'],
  [
    "$ key nested in an unknown field",
    { ...valid["shot_fired"], meta: { list: [{ $gt: 1 }] } },
    "meta.list[0].$gt",
  ],
  [
    "$ key inside position",
    withData("player_move", { position: { x: 1, y: 2, z: 3, $set: 1 } }),
    "data.position.$set",
  ],
];

describe("decodeEventUnknown: accepted inputs", () => {
  test.each(accepted)("%s", (_name, input) => {
    const r = decodeEventUnknown(input);
    expect(r).toMatchObject({ ok: true });
    expect(decodeEventWithSchema(input)).toEqual(r);
  });
});

describe("decodeEventUnknown: rejected inputs name the offending path", () => {
  test.each(rejected)("%s → %s", (_name, input, path) => {
    const r = decodeEventUnknown(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.path).toBe(path);
      expect(r.error.reason.length).toBeGreaterThan(0);
    }
    expect(decodeEventWithSchema(input)).toEqual(r);
  });
});

describe("decodeEvent from bytes and text", () => {
  const json = JSON.stringify(valid["player_kill"]);

  it("decodes UTF-8 bytes and strings to the same event", () => {
    const a = decodeEvent(utf8(json));
    expect(a.ok).toBe(true);
    expect(decodeEvent(json)).toEqual(a);
  });

  it("fills missing nullable ids with null and drops unknown fields", () => {
    const r = decodeEvent(JSON.stringify({ ...without(valid["session_start"]!, "session_id"), extra: 1 }));
    expect(r.ok && r.event).toMatchObject({ session_id: null, match_id: null });
    expect(r.ok && "extra" in r.event).toBe(false);
  });

  it.each([
    ["malformed JSON", "{", "malformed JSON"],
    ["trailing garbage", `${json}x`, "malformed JSON"],
    [
      "1e999 is not finite",
      json.replace('"distance_m":12.5', '"distance_m":1e999'),
      "expected a finite number >= 0",
    ],
  ])("rejects %s", (_name, text, reason) => {
    const r = decodeEvent(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toContain(reason);
  });

  it("rejects malformed UTF-8 at the record path", () => {
    const bytes = utf8(json);
    bytes[10] = 0xff;
    expect(decodeEvent(bytes)).toEqual({ ok: false, error: { path: "", reason: "malformed UTF-8" } });
  });

  it("rejects events over 64 KiB by default and honours maxBytes", () => {
    const big = JSON.stringify({ ...valid["shot_fired"], padding: "x".repeat(DEFAULT_MAX_EVENT_BYTES) });
    const r = decodeEvent(utf8(big));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ path: "" });
    expect(decodeEvent(big, { maxBytes: 2 * DEFAULT_MAX_EVENT_BYTES }).ok).toBe(true);
    expect(decodeEvent(json, { maxBytes: 100 }).ok).toBe(false);
  });

  it("counts UTF-8 bytes, not UTF-16 units, against maxBytes", () => {
    const text = JSON.stringify({ ...valid["shot_fired"], data: { weapon: "é".repeat(100) } });
    const bytes = utf8(text).byteLength;
    expect(decodeEvent(text, { maxBytes: bytes }).ok).toBe(true);
    expect(decodeEvent(text, { maxBytes: bytes - 1 }).ok).toBe(false);
  });

  it("never throws, even for hostile objects", () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("boom");
        },
      },
    );
    expect(decodeEventUnknown(hostile).ok).toBe(false);
    expect(decodeEventWithSchema(hostile).ok).toBe(false);
  });
});

describe("partitionKey", () => {
  it.each([
    ["player_kill", "arena:p-1"],
    ["session_start", "arena:p-1"],
    ["match_start", "arena:m-42"],
    ["match_end", "arena:m-42"],
    ["perf_sample", "arena:eu-west.1:srv-7"],
  ])("%s → %s", (type, key) => {
    const r = decodeEventUnknown({ ...valid[type], ...(type === "perf_sample" ? { player_id: "p-1" } : {}) });
    expect(r.ok).toBe(true);
    if (r.ok) expect(partitionKey(r.event)).toBe(key);
  });

  it("covers every event type", () => {
    expect(Object.keys(valid).sort()).toEqual([...EVENT_TYPES].sort());
  });
});
