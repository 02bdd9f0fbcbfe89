import type { Document, Filter } from "mongodb";
import { ODataError } from "./ODataError.js";

/** The position after the last row of a page: its values of the sort keys (the key `_id` last). */
export interface Keyset {
  /** Rows delivered by the pages before (for $top). */
  readonly delivered: number;
  readonly values: readonly KeyValue[];
}

type KeyValue = string | number | Date | null;
type Encoded = string | number | null | { readonly d: string };

export type SortKeys = readonly (readonly [string, 1 | -1])[];

/** `$skiptoken` of the page after `last` (opaque to clients: base64url JSON). */
export function encodeSkiptoken(delivered: number, values: readonly unknown[]): string {
  const encoded: Encoded[] = values.map((v) =>
    v instanceof Date ? { d: v.toISOString() } : typeof v === "string" || typeof v === "number" ? v : null,
  );
  return Buffer.from(JSON.stringify([delivered, ...encoded])).toString("base64url");
}

const forged = () =>
  new ODataError(
    400,
    "InvalidQueryOption",
    "$skiptoken is not one this feed handed out for this query",
    "$skiptoken",
  );

/** Reads a `$skiptoken` back; refuses anything else with a 400 (it never reaches MongoDB as anything but values). */
export function decodeSkiptoken(raw: string, sortKeys: SortKeys): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw forged();
  }
  if (!Array.isArray(parsed) || parsed.length !== sortKeys.length + 1) throw forged();
  const [delivered, ...rest] = parsed as unknown[];
  if (!Number.isSafeInteger(delivered) || (delivered as number) < 0) throw forged();
  const values = rest.map((v): KeyValue => {
    if (v === null || typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) return v;
    if (
      typeof v === "object" &&
      Object.keys(v).length === 1 &&
      typeof (v as { d?: unknown }).d === "string"
    ) {
      const date = new Date((v as { d: string }).d);
      if (!Number.isNaN(date.getTime())) return date;
    }
    throw forged();
  });
  return { delivered: delivered as number, values };
}

/**
 * Rows strictly after `values` in the order of `sortKeys` (keyset paging): for keys k1..kn,
 * k1 beyond v1, or k1 = v1 and k2 beyond v2, ... Nulls sort first, as in MongoDB: in ascending order every value
 * is beyond null, in descending order null is beyond every value.
 */
export function keysetFilter(sortKeys: SortKeys, values: readonly KeyValue[]): Filter<Document> {
  const branches: Filter<Document>[] = sortKeys.map(([path, direction], i) => {
    const equal: Filter<Document>[] = sortKeys.slice(0, i).map(([p], j) => ({ [p]: values[j] ?? null }));
    return { $and: [...equal, beyond(path, direction, values[i] ?? null)] };
  });
  return { $or: branches };
}

function beyond(path: string, direction: 1 | -1, value: KeyValue): Filter<Document> {
  if (value === null) return direction === 1 ? { [path]: { $ne: null } } : { _id: { $exists: false } };
  return direction === 1
    ? { [path]: { $gt: value } }
    : { $or: [{ [path]: { $lt: value } }, { [path]: null }] };
}
