import { DeadLetterHeaders, type ProducedRecord } from "@gametel/runtime";
import type { GameKey } from "../auth/GameKeys.js";
import type { ValidatedBatch } from "./validateEvents.js";

/**
 * Headers of the collector's dead letters: the processors' reason and path headers (`DeadLetterHeaders`), so one
 * dead-letter consumer reads both, plus where the event came from.
 */
export const CollectorDeadLetterHeaders = {
  reason: DeadLetterHeaders.reason,
  path: DeadLetterHeaders.path,
  /** `http:<game_id>`. */
  source: "gametel.source",
  /** The key id the request was made with (never a secret). */
  keyId: "gametel.source.key_id",
  /** The event's index in its request. */
  index: "gametel.source.index",
} as const;

/** Valid events to the events topic keyed by `partitionKey`; invalid ones to the dead-letter topic with the reason. */
export function toRecords(
  batch: ValidatedBatch,
  gameId: string,
  key: GameKey,
  topics: { readonly events: string; readonly deadLetter: string },
): ProducedRecord[] {
  const records: ProducedRecord[] = batch.accepted.map((e) => ({
    topic: topics.events,
    key: e.key,
    value: e.value,
  }));
  for (const r of batch.rejected) {
    records.push({
      topic: topics.deadLetter,
      key: gameId,
      value: r.value,
      headers: {
        [CollectorDeadLetterHeaders.reason]: r.reason,
        [CollectorDeadLetterHeaders.path]: r.path,
        [CollectorDeadLetterHeaders.source]: `http:${gameId}`,
        [CollectorDeadLetterHeaders.keyId]: key.keyId,
        [CollectorDeadLetterHeaders.index]: String(r.index),
      },
    });
  }
  return records;
}
