import { ObjectId, type Document, type Filter } from "mongodb";

/**
 * The recovery from a lost resume point: re-publish the documents whose time field is at or after a
 * moment (`--copy-since`), then stream from now. What is published twice carries the same `event_id` and is
 * dropped downstream; what was never published is published now.
 */

/** How far before the last saved offset the suggested `--copy-since` goes. */
export const RECOVERY_MARGIN_MS = 5 * 60_000;

/** Strict ISO 8601 with a date, a time and a zone (`Z` or `±hh:mm`): a time without a zone is ambiguous. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses `--copy-since`; throws an Error whose message says what is expected. */
export function parseCopySince(value: string): Date {
  const trimmed = value.trim();
  const date = new Date(trimmed);
  if (!ISO_INSTANT.test(trimmed) || Number.isNaN(date.getTime())) {
    throw new Error(`expected an ISO 8601 time with a zone, e.g. 2026-12-07T23:00:00Z, got "${value}"`);
  }
  return date;
}

/**
 * The documents to re-publish: `field >= since`. The field may hold epoch milliseconds (v1's `event_time`)
 * or a BSON date; MongoDB compares within one type, so both are asked for. `_id` means the ObjectId's
 * creation second (the insert time when the driver made the id).
 */
export function sinceFilter(field: string, since: Date): Filter<Document> {
  if (field === "_id") {
    const seconds = Math.floor(since.getTime() / 1000);
    return { _id: { $gte: ObjectId.createFromTime(seconds) } } as Filter<Document>;
  }
  return { $or: [{ [field]: { $gte: since.getTime() } }, { [field]: { $gte: since } }] } as Filter<Document>;
}

/** One page of the copy in `_id` order: after the last copied `_id`, within `since` when given. */
export function copyPageFilter(
  lastId: unknown,
  since: { readonly field: string; readonly at: Date } | null,
): Filter<Document> {
  const after =
    lastId === null || lastId === undefined ? null : ({ _id: { $gt: lastId } } as Filter<Document>);
  const within = since === null ? null : sinceFilter(since.field, since.at);
  if (after !== null && within !== null) return { $and: [after, within] } as Filter<Document>;
  return after ?? within ?? {};
}

/** The `--copy-since` to suggest: the margin before the last saved offset (or before now when none is known). */
export function suggestCopySince(lastSavedAt: Date | null, now: Date): Date {
  const base = lastSavedAt ?? now;
  return new Date(base.getTime() - RECOVERY_MARGIN_MS);
}

/** The command line that recovers: same source, its offset forgotten, the documents since `since` re-published. */
export function recoveryArguments(sourceName: string, since: Date, field: string): string {
  const fieldFlag = field === "event_time" ? "" : ` --copy-since-field ${field}`;
  return `--name ${sourceName} --reset --copy-since ${since.toISOString()}${fieldFlag}`;
}
