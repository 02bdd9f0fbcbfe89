import { readFileSync } from "node:fs";
import { EVENT_TYPES, type EventType } from "@gametel/core";
import { Secret } from "@gametel/runtime";
import { CollectorConfigError } from "../CollectorConfig.js";

/** A secret key: requests carry an HMAC-SHA256 signature made with it (game servers, backends). */
export interface SecretKey {
  readonly kind: "secret";
  readonly gameId: string;
  readonly keyId: string;
  readonly secret: Secret;
}

/** A public write key: no signature (it ships in game clients), narrower event types, per-IP/session limits. */
export interface PublicKey {
  readonly kind: "public";
  readonly gameId: string;
  readonly keyId: string;
  readonly eventTypes: ReadonlySet<string>;
}

export type GameKey = SecretKey | PublicKey;

/** The keys of every game, looked up by game and key id (several per game: rotation keeps two valid at once). */
export interface GameKeys {
  find(gameId: string, keyId: string): GameKey | undefined;
  readonly games: readonly string[];
  readonly size: number;
}

/** What a game client may send with a public key unless its entry lists `event_types`. */
export const DEFAULT_PUBLIC_EVENT_TYPES: readonly EventType[] = [
  "session_start",
  "session_end",
  "perf_sample",
];

const MIN_SECRET_LENGTH = 32;
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * Parses the key list (JSON): `[{ "game_id", "key_id", "secret" }]` for secret keys and
 * `[{ "game_id", "key_id", "public": true, "event_types"?: [...] }]` for public write keys. Error messages never
 * contain a secret.
 */
export function parseGameKeys(json: string, origin: string): GameKeys {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new CollectorConfigError(`${origin}: not valid JSON (expected an array of keys; see the README)`);
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new CollectorConfigError(`${origin}: expected a non-empty JSON array of keys`);
  }
  const byId = new Map<string, GameKey>();
  raw.forEach((entry: unknown, index) => {
    const key = parseEntry(entry, `${origin}[${index}]`);
    const id = `${key.gameId}\u0000${key.keyId}`;
    if (byId.has(id)) {
      throw new CollectorConfigError(
        `${origin}[${index}]: key_id "${key.keyId}" appears twice for game "${key.gameId}"`,
      );
    }
    byId.set(id, key);
  });
  const games = [...new Set([...byId.values()].map((k) => k.gameId))].sort();
  return {
    find: (gameId, keyId) => byId.get(`${gameId}\u0000${keyId}`),
    games,
    size: byId.size,
  };
}

function parseEntry(entry: unknown, where: string): GameKey {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    throw new CollectorConfigError(`${where}: expected an object with game_id and key_id`);
  }
  const e = entry as Record<string, unknown>;
  const gameId = e.game_id;
  const keyId = e.key_id;
  if (typeof gameId !== "string" || !ID.test(gameId)) {
    throw new CollectorConfigError(
      `${where}.game_id: expected an id of 1-64 characters from A-Z a-z 0-9 _ . : -`,
    );
  }
  if (typeof keyId !== "string" || !ID.test(keyId)) {
    throw new CollectorConfigError(
      `${where}.key_id: expected an id of 1-64 characters from A-Z a-z 0-9 _ . : -`,
    );
  }
  if (e.public === true) {
    if (e.secret !== undefined) {
      throw new CollectorConfigError(`${where}: a public key has no secret (remove "secret" or "public")`);
    }
    const types = e.event_types ?? DEFAULT_PUBLIC_EVENT_TYPES;
    if (
      !Array.isArray(types) ||
      types.length === 0 ||
      types.some((t) => !EVENT_TYPES.includes(t as EventType))
    ) {
      throw new CollectorConfigError(
        `${where}.event_types: expected a non-empty array of event types from ${EVENT_TYPES.join(", ")}`,
      );
    }
    return { kind: "public", gameId, keyId, eventTypes: new Set(types as string[]) };
  }
  if (typeof e.secret !== "string" || e.secret.length < MIN_SECRET_LENGTH) {
    throw new CollectorConfigError(
      `${where}.secret: expected a string of at least ${MIN_SECRET_LENGTH} characters (or "public": true)`,
    );
  }
  return { kind: "secret", gameId, keyId, secret: new Secret(e.secret) };
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The keys from GAMETEL_COLLECTOR_KEYS (the JSON itself) or GAMETEL_COLLECTOR_KEYS_FILE (a file holding it);
 * never from flags, which would show in `ps`.
 */
export function loadGameKeys(env: Env): GameKeys {
  const inline = env.GAMETEL_COLLECTOR_KEYS;
  const file = env.GAMETEL_COLLECTOR_KEYS_FILE;
  if (inline !== undefined && inline !== "" && file !== undefined && file !== "") {
    throw new CollectorConfigError("set GAMETEL_COLLECTOR_KEYS or GAMETEL_COLLECTOR_KEYS_FILE, not both");
  }
  if (inline !== undefined && inline !== "") return parseGameKeys(inline, "GAMETEL_COLLECTOR_KEYS");
  if (file !== undefined && file !== "") {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new CollectorConfigError(`GAMETEL_COLLECTOR_KEYS_FILE: cannot read ${file} (${code})`);
    }
    return parseGameKeys(text, `GAMETEL_COLLECTOR_KEYS_FILE ${file}`);
  }
  throw new CollectorConfigError(
    "no keys: set GAMETEL_COLLECTOR_KEYS (JSON) or GAMETEL_COLLECTOR_KEYS_FILE (a JSON file); see the README",
  );
}
