import { decodeEvent, partitionKey } from "@gametel/core";
import { CollectorError, RefusalCodes } from "../CollectorError.js";
import type { GameKey } from "../auth/GameKeys.js";

/** An event that passed: its Kafka key and bytes. */
export interface AcceptedEvent {
  readonly index: number;
  readonly key: string;
  readonly value: Buffer;
  readonly sessionId: string | null;
}

/** An event that did not: where and why (the core decoder's path and reason, or the collector's own). */
export interface RejectedEvent {
  readonly index: number;
  readonly path: string;
  readonly reason: string;
  readonly value: Buffer;
}

export interface ValidatedBatch {
  readonly accepted: AcceptedEvent[];
  readonly rejected: RejectedEvent[];
}

/** Reasons the collector itself gives (besides the decoder's). */
export const CollectorReasons = {
  wrongGame: (eventGame: string, pathGame: string) =>
    `game_id "${eventGame}" does not match the request path's game "${pathGame}"`,
  typeNotAllowed: (type: string) => `event_type "${type}" is not accepted with a public key`,
} as const;

/**
 * Decodes every event with @gametel/core's decoder and checks it belongs to the path's game (and, for a public key,
 * that its type is allowed). Invalid events are listed by index; a line that is not JSON at all refuses the whole
 * request (400), before anything is written.
 */
export function validateEvents(events: readonly Buffer[], gameId: string, key: GameKey): ValidatedBatch {
  const accepted: AcceptedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  events.forEach((value, index) => {
    const decoded = decodeEvent(value);
    if (!decoded.ok) {
      if (decoded.error.path === "" && !isJson(value)) {
        throw new CollectorError(
          400,
          RefusalCodes.malformed,
          `event ${index} is not valid JSON: ${decoded.error.reason}`,
        );
      }
      rejected.push({ index, path: decoded.error.path, reason: decoded.error.reason, value });
      return;
    }
    const event = decoded.event;
    if (event.game_id !== gameId) {
      rejected.push({
        index,
        path: "game_id",
        reason: CollectorReasons.wrongGame(event.game_id, gameId),
        value,
      });
      return;
    }
    if (key.kind === "public" && !key.eventTypes.has(event.event_type)) {
      rejected.push({
        index,
        path: "event_type",
        reason: CollectorReasons.typeNotAllowed(event.event_type),
        value,
      });
      return;
    }
    accepted.push({ index, key: partitionKey(event), value, sessionId: event.session_id });
  });
  return { accepted, rejected };
}

function isJson(value: Buffer): boolean {
  try {
    JSON.parse(value.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}
