/** A problem the user can fix (bad option, unreadable state, a document the schema does not describe): one line. */
export class ExportError extends Error {
  override readonly name = "ExportError";
}
