import type { Column, ColumnType, InsightTable } from "../Tables.js";
import { ExportError } from "../ExportError.js";

/** A row ready for the NDJSON staging file: timestamps as ISO strings, int64 as decimal strings. */
export type StagedRow = Record<string, unknown>;

export interface RowPartition {
  readonly gameId: string;
  /** UTC date, YYYY-MM-DD. */
  readonly date: string;
}

const isLong = (v: unknown): v is { _bsontype: "Long"; toString(): string } =>
  typeof v === "object" && v !== null && (v as { _bsontype?: unknown })._bsontype === "Long";

function convert(value: unknown, type: ColumnType, where: () => string): unknown {
  if (typeof type === "object") {
    if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Date)
      throw new ExportError(`${where()}: expected an object`);
    return convertFields(value as Record<string, unknown>, type.struct, where);
  }
  switch (type) {
    case "string":
      if (typeof value === "string") return value;
      break;
    case "int64":
      if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
      if (typeof value === "bigint") return value.toString();
      if (isLong(value)) return value.toString();
      break;
    case "float64":
      if (typeof value === "number" && Number.isFinite(value)) return value;
      break;
    case "boolean":
      if (typeof value === "boolean") return value;
      break;
    case "timestamp":
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
      break;
  }
  throw new ExportError(`${where()}: expected ${type}, found ${JSON.stringify(value) ?? typeof value}`);
}

function convertFields(
  doc: Record<string, unknown>,
  columns: readonly Column[],
  where: () => string,
  topLevel = false,
): StagedRow {
  const out: StagedRow = {};
  const known = new Set<string>();
  for (const column of columns) {
    known.add(column.name);
    const at = () => `${where()}.${column.name}`;
    const value = doc[column.name];
    if (value === undefined || value === null) {
      if (!column.nullable) throw new ExportError(`${at()}: missing`);
      out[column.name] = null;
    } else out[column.name] = convert(value, column.type, at);
  }
  for (const name of Object.keys(doc)) {
    // Private runtime fields (`_state`, `_offset`, `_parts`, ...) stay out of the warehouse.
    if (known.has(name) || (topLevel && name.startsWith("_"))) continue;
    throw new ExportError(`${where()}.${name}: field not in the export schema (apps/export/src/Tables.ts)`);
  }
  return out;
}

/** One MongoDB document as a staged row of `table`; throws ExportError naming the document and field. */
export function toStagedRow(table: InsightTable, doc: Record<string, unknown>): StagedRow {
  const id = JSON.stringify(String(doc._id));
  return convertFields(doc, table.columns, () => `${table.collection} ${id}`, true);
}

/** The `game_id=` and `date=` partition of a document (it passed `toStagedRow`). */
export function partitionOf(table: InsightTable, doc: Record<string, unknown>): RowPartition {
  const at = doc[table.dateColumn];
  const time = at instanceof Date ? at : (doc.updated_at as Date);
  return { gameId: String(doc.game_id), date: time.toISOString().slice(0, 10) };
}
