/**
 * Header names of the records this source sends to the dead-letter topic. The value of a dead letter is
 * the whole MongoDB document (with its `_id`) as relaxed Extended JSON; the key is its `_id` the same way.
 */
export const DeadLetterHeader = {
  /** Why the document is not a valid v1 event, e.g. "Expected string, actual 42". */
  errorReason: "error.reason",
  /** Where in the document, e.g. "data.weapon" ("" for the document itself). */
  errorPath: "error.path",
  /** `mongodb:<database>.<collection>`. */
  source: "source",
  /** The document's `_id` as relaxed Extended JSON, e.g. {"$oid":"65f..."}. */
  documentId: "mongodb.document_id",
} as const;
