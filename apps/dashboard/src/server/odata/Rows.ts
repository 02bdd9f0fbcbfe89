import type { Document } from "mongodb";
import type { EntityProperty } from "./EntitySets.js";

/** Value at a dotted path of a document (undefined when any step is missing). */
export function at(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const step of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** One property's value in OData JSON: typed per the property, null when absent or of an unexpected type. */
export function propertyValue(doc: Document, prop: EntityProperty): string | number | null {
  const value = at(doc, prop.path);
  switch (prop.type) {
    case "Edm.String":
      return typeof value === "string" ? value : null;
    case "Edm.Int64":
    case "Edm.Double":
      if (typeof value === "number" && Number.isFinite(value)) return value;
      // BSON Int64 / Decimal128 (not written by gametel today) come as objects with a numeric value.
      if (value !== null && typeof value === "object" && "toNumber" in value) {
        const n = (value as { toNumber(): number }).toNumber();
        return Number.isFinite(n) ? n : null;
      }
      return null;
    case "Edm.DateTimeOffset":
      return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : null;
  }
}

/** An entity as OData JSON: exactly the selected properties, built from the whitelist (never `_` fields). */
export function toRow(
  doc: Document,
  select: readonly EntityProperty[],
): Record<string, string | number | null> {
  const row: Record<string, string | number | null> = {};
  for (const prop of select) row[prop.name] = propertyValue(doc, prop);
  return row;
}

/** MongoDB projection for the selected properties (the key always comes with `_id`). */
export function projection(select: readonly EntityProperty[]): Record<string, 1> {
  const out: Record<string, 1> = { _id: 1 };
  for (const prop of select) out[prop.path] = 1;
  return out;
}
