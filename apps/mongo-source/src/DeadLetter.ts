import { DeadLetterHeaders } from "@gametel/runtime";

/**
 * Header names of the records this source sends to the dead-letter topic: the reason and path headers are
 * the processors' (`DeadLetterHeaders` of @gametel/runtime), so one DLQ consumer reads both. The value of a
 * dead letter is the whole MongoDB document (with its `_id`) as relaxed Extended JSON; the key is its `_id`
 * the same way.
 */
export const DeadLetterHeader = {
  /** Why the document is not a valid v1 event (the core decoder's reason). */
  errorReason: DeadLetterHeaders.reason,
  /** Where in the document, e.g. "data.weapon" ("" for the document itself). */
  errorPath: DeadLetterHeaders.path,
  /** `mongodb:<database>.<collection>`. */
  source: "gametel.source",
  /** The document's `_id` as relaxed Extended JSON, e.g. {"$oid":"65f..."}. */
  documentId: "gametel.source.document_id",
} as const;
