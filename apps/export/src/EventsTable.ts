import { decodeEvent } from "@gametel/core";
import type { EventRecord } from "./EventsSource.js";
import type { Column } from "./Tables.js";

/**
 * Raw events in the warehouse: every record of the offset range, valid or not (nothing is dropped), with its
 * Kafka coordinates, the decoded identity fields and the record value as text. Invalid records have
 * `valid = false`, the decoder's reason in `error` and the partition `game_id=_invalid`.
 */
export const EVENTS_TABLE = {
  name: "events",
  columns: [
    { name: "kafka_partition", type: "int64", nullable: false },
    { name: "kafka_offset", type: "int64", nullable: false },
    { name: "kafka_key", type: "string", nullable: true },
    { name: "kafka_timestamp", type: "timestamp", nullable: false },
    { name: "valid", type: "boolean", nullable: false },
    { name: "error", type: "string", nullable: true },
    { name: "event_id", type: "string", nullable: true },
    { name: "event_type", type: "string", nullable: true },
    { name: "game_id", type: "string", nullable: true },
    { name: "player_id", type: "string", nullable: true },
    { name: "match_id", type: "string", nullable: true },
    { name: "server_id", type: "string", nullable: true },
    { name: "event_time", type: "timestamp", nullable: true },
    { name: "value", type: "string", nullable: true },
  ] satisfies Column[] as readonly Column[],
} as const;

export const INVALID_GAME = "_invalid";

/** A record as a staged row (timestamps ISO, int64 as strings) and its partition. */
export function eventRow(record: EventRecord): {
  row: Record<string, unknown>;
  gameId: string;
  date: string;
} {
  const text = record.value === null ? null : record.value.toString("utf8");
  const decoded = record.value === null ? null : decodeEvent(record.value);
  const iso = (ms: number) => new Date(ms).toISOString();
  const base = {
    kafka_partition: String(record.partition),
    kafka_offset: record.offset.toString(),
    kafka_key: record.key,
    kafka_timestamp: iso(record.timestamp),
    value: text,
  };
  if (decoded === null || !decoded.ok) {
    const error = decoded === null ? "null value (tombstone)" : decoded.error.reason;
    const row = {
      ...base,
      valid: false,
      error,
      event_id: null,
      event_type: null,
      game_id: null,
      player_id: null,
      match_id: null,
      server_id: null,
      event_time: null,
    };
    return { row, gameId: INVALID_GAME, date: iso(record.timestamp).slice(0, 10) };
  }
  const e = decoded.event as unknown as Record<string, unknown>;
  const str = (name: string) => (typeof e[name] === "string" ? (e[name] as string) : null);
  const row = {
    ...base,
    valid: true,
    error: null,
    event_id: str("event_id"),
    event_type: str("event_type"),
    game_id: str("game_id"),
    player_id: str("player_id"),
    match_id: str("match_id"),
    server_id: str("server_id"),
    event_time: iso(decoded.event.event_time),
  };
  return { row, gameId: decoded.event.game_id, date: iso(decoded.event.event_time).slice(0, 10) };
}
