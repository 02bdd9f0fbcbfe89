/**
 * What readers of the insights need to know about their fields without repeating them: for every field of
 * `PlayerStats`, `MatchStats` and `MetricSummary`, its kind, whether it can be null and its definition. A
 * reader (an OData feed, a dashboard, an export) walks these tables instead of listing the fields again; the
 * tables are typed against the insight types, so a field added to a type and not here does not compile.
 *
 * @module ResultFields
 */

/**
 * The kind of a result field: `count` (a non-negative integer), `number` (a ratio, an average, a sum or a
 * quantile), `time` (epoch ms in core; stored as a date), `string`, or `object` (a nested record, such as
 * `top_killer`).
 *
 * @example
 * import type { ResultFieldKind } from "@gametel/core";
 * const edm = (k: ResultFieldKind) => (k === "count" ? "Edm.Int64" : "Edm.Double");
 */
export type ResultFieldKind = "count" | "number" | "time" | "string" | "object";

/**
 * One field of an insight: its kind, whether it can be null and its definition (the README's words).
 *
 * @example
 * import type { ResultField } from "@gametel/core";
 * const f: ResultField = { kind: "count", nullable: false, description: "Number of player_kill events." };
 */
export interface ResultField {
  readonly kind: ResultFieldKind;
  readonly nullable: boolean;
  readonly description: string;
}

/**
 * A table with exactly one `ResultField` for every field of `T`, in the order a reader should show them.
 *
 * @example
 * import type { ResultFieldsOf, MetricSummary } from "@gametel/core";
 * type SummaryFields = ResultFieldsOf<MetricSummary>; // { count: ResultField; min: ResultField; ... }
 */
export type ResultFieldsOf<T> = { readonly [K in keyof T]-?: ResultField };

/**
 * The names of a field table, in its order.
 *
 * @example
 * import { fieldNames, PLAYER_STATS_FIELDS } from "@gametel/core";
 * fieldNames(PLAYER_STATS_FIELDS)[0]; // "kills"
 */
export const fieldNames = <T>(fields: ResultFieldsOf<T>): (keyof T & string)[] =>
  Object.keys(fields) as (keyof T & string)[];
