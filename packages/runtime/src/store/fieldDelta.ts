/**
 * Field deltas of keyed documents. A task that knows what a document holds (it wrote it, and the write was
 * confirmed) sends only the public fields that changed since, with the encoded state and the new fence: identity
 * fields and unchanged results are not sent again. See docs/processing-design.md ("Field deltas").
 */

/** What a task last wrote to a document and knows it holds: every public field, at this fence. */
export interface WrittenFields {
  readonly offset: bigint;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * The fields of `next` that differ from `written`; null when a field was dropped (then only a whole write is
 * right). Values compare by content: numbers (NaN and -0 included), strings, booleans, null, dates, bigints, arrays
 * and plain objects.
 */
export function changedFields(
  next: Readonly<Record<string, unknown>>,
  written: Readonly<Record<string, unknown>>,
): Record<string, unknown> | null {
  for (const name of Object.keys(written)) if (!(name in next)) return null;
  const changed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(next))
    if (!(name in written) || !sameValue(value, written[name])) changed[name] = value;
  return changed;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (Array.isArray(a) || Array.isArray(b))
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
    );
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]))
    );
  }
  return false;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
