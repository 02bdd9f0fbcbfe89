import type { Document, Filter, Sort } from "mongodb";
import type { EntityProperty, EntitySetSpec } from "./EntitySets.js";
import { KEY_PROPERTY, property } from "./EntitySets.js";
import { parseFilter } from "./FilterParser.js";
import { filterToMongo } from "./FilterToMongo.js";
import { decodeSkiptoken, type Keyset, type SortKeys } from "./Keyset.js";
import { badRequest } from "./ODataError.js";

/** A validated request on one entity set, ready for MongoDB. Built only from the whitelist and typed values. */
export interface EntityQuery {
  readonly set: EntitySetSpec;
  /** Properties to return, in entity-type order. */
  readonly select: readonly EntityProperty[];
  /** True when $select was given (the context URL then lists the properties). */
  readonly selected: boolean;
  readonly filter: Filter<Document>;
  /** MongoDB sort with the key as the last tie-breaker, so pages are stable. */
  readonly sort: Sort;
  readonly orderby: readonly { readonly property: EntityProperty; readonly descending: boolean }[];
  readonly top: number | undefined;
  readonly skip: number;
  readonly count: boolean;
  /** The sort as (path, direction) pairs, the key `_id` last: the keyset of server-driven paging. */
  readonly sortKeys: SortKeys;
  /** Where the previous page ended (server-driven paging), or null on the first page. */
  readonly skiptoken: Keyset | null;
}

/** Which query options a route accepts. */
export interface QueryOptionRules {
  /** Pages and counts ($count, $skiptoken): the JSON feed yes, the CSV download no. */
  readonly paging: boolean;
  /** A custom option that may be present and is not a query option (the API key), or null. */
  readonly apiKeyParam: string | null;
}

const SUPPORTED = new Set([
  "$select",
  "$filter",
  "$orderby",
  "$top",
  "$skip",
  "$count",
  "$skiptoken",
  "$format",
]);
const UNSUPPORTED = new Set([
  "$expand",
  "$search",
  "$apply",
  "$compute",
  "$levels",
  "$index",
  "$schemaversion",
  "$deltatoken",
  "$id",
]);
const MAX_INTEGER = 2_147_483_647;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function nonNegativeInteger(name: string, raw: string): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > MAX_INTEGER) {
    throw badRequest("InvalidQueryOption", `${name} must be a non-negative integer, got "${raw}"`, name);
  }
  return Number(raw);
}

function known(set: EntitySetSpec, option: string, name: string): EntityProperty {
  const found = NAME.test(name) ? property(set, name) : undefined;
  if (found === undefined) {
    throw badRequest(
      "UnknownProperty",
      `${option}: "${name}" is not a property of ${set.name}; properties: ${set.properties.map((p) => p.name).join(", ")}`,
      option,
    );
  }
  return found;
}

function parseSelect(set: EntitySetSpec, raw: string): readonly EntityProperty[] {
  const items = raw.split(",").map((s) => s.trim());
  if (items.some((s) => s.length === 0))
    throw badRequest("InvalidQueryOption", "$select has an empty item", "$select");
  if (items.includes("*")) return set.properties;
  const wanted = new Set(items.map((name) => known(set, "$select", name).name));
  return set.properties.filter((p) => wanted.has(p.name));
}

function parseOrderby(set: EntitySetSpec, raw: string): EntityQuery["orderby"] {
  const items = raw.split(",").map((s) => s.trim());
  if (items.length > 10)
    throw badRequest("InvalidQueryOption", "$orderby takes at most 10 properties", "$orderby");
  const seen = new Set<string>();
  return items.map((item) => {
    const m = /^([^\s]+)(?:\s+(asc|desc))?$/.exec(item);
    if (m === null) {
      throw badRequest(
        "InvalidQueryOption",
        `$orderby: expected "property [asc|desc]", got "${item}"`,
        "$orderby",
      );
    }
    const prop = known(set, "$orderby", m[1]!);
    if (seen.has(prop.name)) {
      throw badRequest("InvalidQueryOption", `$orderby names ${prop.name} twice`, "$orderby");
    }
    seen.add(prop.name);
    return { property: prop, descending: m[2] === "desc" };
  });
}

function parseFormat(raw: string): void {
  const type = raw.split(";")[0]!.trim().toLowerCase();
  if (type !== "json" && type !== "application/json") {
    throw badRequest("InvalidQueryOption", `$format must be json, got "${raw}"`, "$format");
  }
}

/**
 * Parses and validates every query parameter of a request on an entity set. Anything unknown, repeated or malformed
 * is a 400 (OData error format); nothing from the request reaches MongoDB but whitelisted paths and typed values.
 */
export function parseQueryOptions(
  set: EntitySetSpec,
  params: URLSearchParams,
  rules: QueryOptionRules,
): EntityQuery {
  const values = new Map<string, string>();
  for (const [name, value] of params) {
    if (rules.apiKeyParam !== null && name === rules.apiKeyParam) continue;
    if (values.has(name)) throw badRequest("InvalidQueryOption", `query option ${name} is given twice`, name);
    if (UNSUPPORTED.has(name))
      throw badRequest("NotSupported", `${name} is not supported by this feed`, name);
    if (!SUPPORTED.has(name)) {
      throw badRequest(
        "UnknownQueryOption",
        `unknown query option "${name}"; supported: ${[...SUPPORTED].join(", ")}`,
        name,
      );
    }
    if (!rules.paging && (name === "$count" || name === "$skiptoken")) {
      throw badRequest("InvalidQueryOption", `${name} is not available here`, name);
    }
    values.set(name, value);
  }
  const get = (name: string) => values.get(name);

  const format = get("$format");
  if (format !== undefined) parseFormat(format);
  const selectRaw = get("$select");
  const select = selectRaw === undefined ? set.properties : parseSelect(set, selectRaw);
  const filterRaw = get("$filter");
  const userFilter = filterRaw === undefined ? null : filterToMongo(set, parseFilter(filterRaw));
  const base = Object.keys(set.baseFilter).length > 0 ? (set.baseFilter as Filter<Document>) : null;
  const filter: Filter<Document> =
    userFilter !== null && base !== null ? { $and: [base, userFilter] } : (userFilter ?? base ?? {});
  const orderbyRaw = get("$orderby");
  const orderby = orderbyRaw === undefined ? [] : parseOrderby(set, orderbyRaw);
  const sort: [string, 1 | -1][] = orderby.map((o) => [o.property.path, o.descending ? -1 : 1]);
  if (!orderby.some((o) => o.property.name === KEY_PROPERTY)) sort.push(["_id", 1]);
  const topRaw = get("$top");
  const skipRaw = get("$skip");
  const countRaw = get("$count");
  if (countRaw !== undefined && countRaw !== "true" && countRaw !== "false") {
    throw badRequest("InvalidQueryOption", `$count must be true or false, got "${countRaw}"`, "$count");
  }
  const tokenRaw = get("$skiptoken");
  return {
    set,
    select,
    selected: selectRaw !== undefined,
    filter,
    sort,
    orderby,
    top: topRaw === undefined ? undefined : nonNegativeInteger("$top", topRaw),
    skip: skipRaw === undefined ? 0 : nonNegativeInteger("$skip", skipRaw),
    count: countRaw === "true",
    sortKeys: sort,
    skiptoken: tokenRaw === undefined ? null : decodeSkiptoken(tokenRaw, sort),
  };
}

/** `$metadata` (xml) and the service document (json) take no option but `$format` of their own format. */
export function checkDocumentOptions(
  params: URLSearchParams,
  apiKeyParam: string | null,
  format: "json" | "xml",
): void {
  for (const [name, value] of params) {
    if (apiKeyParam !== null && name === apiKeyParam) continue;
    if (name === "$format") {
      const type = value.split(";")[0]!.trim().toLowerCase();
      if (type === format || type === `application/${format}`) continue;
      throw badRequest(
        "InvalidQueryOption",
        `$format "${value}" is not available here (${format} only)`,
        "$format",
      );
    }
    throw badRequest("UnknownQueryOption", `query option "${name}" is not available here`, name);
  }
}
