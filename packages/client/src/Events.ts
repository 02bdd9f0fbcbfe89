import type { EventType, TelemetryEvent } from "@gametel/core";

/** The decoded shape of one event type (wire format v1, from @gametel/core). */
export type EventOf<T extends EventType> = Extract<TelemetryEvent, { readonly event_type: T }>;

type NullableKeys<O> = { [K in keyof O]-?: null extends O[K] ? K : never }[keyof O];
type Filled = "event_id" | "event_type" | "event_version" | "event_time" | "game_id" | "server_id";

/**
 * What `track` takes for an event type: its ids and `data`; `event_id` (a fresh UUID), `event_time` (now),
 * `event_version`, `game_id` and `server_id` (the client's defaults) are filled in, and the ids that may be null
 * (`session_id`, `match_id` of player events, ...) may be left out.
 *
 * @example
 * const kill: EventInput<"player_kill"> = {
 *   match_id: "m-1", player_id: "p-7",
 *   data: { victim_id: "p-9", weapon: "rifle", headshot: true },
 * };
 */
export type EventInput<T extends EventType> = Omit<EventOf<T>, Filled | NullableKeys<EventOf<T>>> &
  Partial<Pick<EventOf<T>, NullableKeys<EventOf<T>>>> & {
    readonly event_id?: string;
    readonly event_time?: number;
    readonly server_id?: string;
  };

/** Ids every event of this client carries unless the event gives its own. */
export interface EventDefaults {
  readonly server_id?: string;
  readonly session_id?: string | null;
  readonly match_id?: string | null;
}

const uuid = (): string => globalThis.crypto.randomUUID();

/**
 * Builds a complete wire-format-v1 event from its input and the client's game and defaults. The collector validates
 * it again with @gametel/core's decoder; this only fills fields in.
 *
 * @example
 * buildEvent("session_start", { player_id: "p-1", data: { platform: "pc", region: "eu", client_version: "1.2" } },
 *   "shooter", { server_id: "eu-1" }, Date.now());
 */
export function buildEvent<T extends EventType>(
  type: T,
  input: EventInput<T>,
  gameId: string,
  defaults: EventDefaults,
  now: number,
): EventOf<T> {
  const serverId = input.server_id ?? defaults.server_id;
  if (serverId === undefined) {
    throw new TypeError(`${type}: server_id is required (give it in the event or in the client's defaults)`);
  }
  const scoped = {
    session_id: defaults.session_id ?? null,
    match_id: type === "match_start" || type === "match_end" ? null : (defaults.match_id ?? null),
    player_id: null,
  };
  return {
    ...scoped,
    ...input,
    event_id: input.event_id ?? uuid(),
    event_type: type,
    event_version: 1,
    event_time: input.event_time ?? now,
    game_id: gameId,
    server_id: serverId,
  } as unknown as EventOf<T>;
}
