import type { Random } from "./internal/Random.js";
import type { TelemetryEvent } from "./internal/wire.js";

/** How a malformed record must still be carried: raw bytes (NDJSON, Kafka) or an insertable MongoDB document. */
export type MalformedFormat = "json" | "document";

export interface MalformedRecord {
  /** Which rule of the wire format it breaks. */
  readonly variant: MalformedVariant;
  readonly json: string;
  /** Present in the "document" format: insertable into MongoDB (no `$` or `.` keys) but not a valid event. */
  readonly document: Readonly<Record<string, unknown>> | undefined;
}

/** Breakages that survive as a MongoDB document. */
const DOCUMENT_VARIANTS = [
  "wrong_type",
  "missing_field",
  "unknown_event_type",
  "bad_version",
  "invalid_id",
  "bad_data",
  "missing_data",
] as const;

/** Breakages that only exist as bytes. */
const BYTE_VARIANTS = ["truncated_json", "not_an_object", "dollar_key", "dotted_key", "non_finite"] as const;

export type MalformedVariant = (typeof DOCUMENT_VARIANTS)[number] | (typeof BYTE_VARIANTS)[number];

type Doc = Record<string, unknown>;

/** A `data` object that breaks its type's rule: out of range where the type has a range, else a wrong type. */
const breakData = (eventType: string, data: Doc): Doc => {
  switch (eventType) {
    case "player_spawn":
    case "player_move":
    case "player_death":
      return { ...data, life: 0 };
    case "player_hit":
      return { ...data, damage: -5 };
    case "player_kill":
      return { ...data, distance_m: -3 };
    case "perf_sample":
      return "packet_loss" in data ? { ...data, packet_loss: 1.5 } : { ...data, fps: 0 };
    case "session_start":
      return { ...data, platform: 7 };
    case "match_start":
      return { ...data, map: 3 };
    case "match_end":
      return { ...data, winning_team: 1 };
    case "session_end":
      return { ...data, reason: false };
    default:
      return { ...data, weapon: 42 };
  }
};

const breakDocument = (variant: (typeof DOCUMENT_VARIANTS)[number], base: Doc, random: Random): Doc => {
  const data = base["data"] as Doc;
  switch (variant) {
    case "wrong_type":
      return random.chance(0.5)
        ? { ...base, event_time: new Date(base["event_time"] as number).toISOString() }
        : { ...base, server_id: random.int(1, 99) };
    case "missing_field": {
      const { event_type: _dropped, ...rest } = base;
      return rest;
    }
    case "unknown_event_type":
      return { ...base, event_type: random.pick(["player_teleport", "chat_message", "PLAYER_KILL"]) };
    case "bad_version":
      return { ...base, event_version: random.pick([0, 2, 99]) };
    case "invalid_id":
      return random.chance(0.5)
        ? { ...base, game_id: "g".repeat(65 + random.int(0, 30)) }
        : { ...base, server_id: "srv 01/eu" };
    case "bad_data":
      return { ...base, data: breakData(base["event_type"] as string, data) };
    case "missing_data": {
      const { data: _dropped, ...rest } = base;
      return rest;
    }
  }
};

const breakBytes = (variant: (typeof BYTE_VARIANTS)[number], base: Doc, random: Random): string => {
  switch (variant) {
    case "truncated_json": {
      // Any proper prefix of a JSON object text is not JSON: its outer brace is never closed.
      const text = JSON.stringify(base);
      return text.slice(0, random.int(1, text.length - 1));
    }
    case "not_an_object":
      return random.pick(["[]", "null", "42", '"player_kill"', "true", "[" + JSON.stringify(base) + "]"]);
    case "dollar_key":
      return JSON.stringify({ ...base, data: { ...(base["data"] as Doc), $where: "sleep(1000)" } });
    case "dotted_key":
      return JSON.stringify({ ...base, data: { ...(base["data"] as Doc), "stats.kills": 1 } });
    case "non_finite":
      // JSON.parse reads 1e999 as Infinity.
      return JSON.stringify(base).replace(/"event_time":-?\d+/, '"event_time":1e999');
  }
};

/**
 * Builds records that a v1 decoder must reject, from a valid event taken as a template. Each gets a fresh
 * `event_id`, so a malformed record never looks like a copy of a valid one.
 */
export const createMalformedFactory =
  (random: Random, format: MalformedFormat) =>
  (event: TelemetryEvent): MalformedRecord => {
    const base: Doc = { ...event, event_id: random.uuid() };
    const variants: readonly MalformedVariant[] =
      format === "document" ? DOCUMENT_VARIANTS : [...DOCUMENT_VARIANTS, ...BYTE_VARIANTS];
    const variant = random.pick(variants);
    if ((DOCUMENT_VARIANTS as readonly string[]).includes(variant)) {
      const document = breakDocument(variant as (typeof DOCUMENT_VARIANTS)[number], base, random);
      return {
        variant,
        json: JSON.stringify(document),
        document: format === "document" ? document : undefined,
      };
    }
    return {
      variant,
      json: breakBytes(variant as (typeof BYTE_VARIANTS)[number], base, random),
      document: undefined,
    };
  };
