import { METRIC_SUMMARY_FIELDS, PLAYER_STATS_FIELDS } from "@gametel/core";
import type { PlayerStats, ResultFieldsOf } from "@gametel/core";
import type { Document } from "mongodb";
import type { MetricSummaryView } from "../api/ViewTypes.js";

// Stored documents to view values, walking core's field tables: counts and numbers as numbers, times (BSON dates)
// as epoch ms. A missing or malformed value reads as 0, or null where the field may be null.

export const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
export const numOrNull = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : null;
export const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
export const ms = (v: unknown): number | null => (v instanceof Date ? v.getTime() : null);

type Plain = string | number | null;

/** The fields of a table read from a document (object fields are the caller's). */
export function readFields<T>(fields: ResultFieldsOf<T>, doc: Document): Record<keyof T & string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [name, field] of Object.entries(fields) as [string, ResultFieldsOf<T>[keyof T]][]) {
    const v = doc[name];
    switch (field.kind) {
      case "time":
        out[name] = ms(v);
        break;
      case "string":
        out[name] = str(v);
        break;
      case "object":
        out[name] = null;
        break;
      default:
        out[name] = field.nullable ? numOrNull(v) : num(v);
    }
  }
  return out as Record<keyof T & string, Plain>;
}

/** A projection of the table's fields (and `extra`), without `_id`. */
export function projectionOf<T>(fields: ResultFieldsOf<T>, ...extra: string[]): Record<string, 0 | 1> {
  return Object.fromEntries([["_id", 0], ...[...Object.keys(fields), ...extra].map((f) => [f, 1] as const)]);
}

/** core's PlayerStats from a stored document. */
export const playerStatsOf = (doc: Document) =>
  readFields(PLAYER_STATS_FIELDS, doc) as unknown as PlayerStats;

/** A stored MetricSummary (null when absent); quantiles missing from older documents are null. */
export function summaryOf(v: unknown): MetricSummaryView | null {
  if (v === null || typeof v !== "object") return null;
  const s = v as Document;
  return Object.fromEntries(
    Object.keys(METRIC_SUMMARY_FIELDS).map((k) => [k, numOrNull(s[k])]),
  ) as unknown as MetricSummaryView;
}
