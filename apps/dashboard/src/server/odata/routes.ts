import type { CollectionNames } from "@gametel/runtime";
import type { Context } from "hono";
import { Hono } from "hono";
import type { Db } from "mongodb";
import { metadataXml, serviceDocument } from "./Csdl.js";
import { ENTITY_SETS, entitySet } from "./EntitySets.js";
import type { EntitySetSpec } from "./EntitySets.js";
import { csvStream, readPage } from "./ODataFeed.js";
import { ODataError } from "./ODataError.js";
import type { EntityQuery } from "./QueryOptions.js";
import { checkDocumentOptions, parseQueryOptions } from "./QueryOptions.js";

export interface ODataRoutesDeps {
  readonly db: Db;
  readonly collections: CollectionNames;
  readonly pageSize: number;
  /** The query parameter that may carry the API key (removed from next links). */
  readonly apiKeyParam: string;
  /** Public base URL (e.g. https://insights.example.com) when behind a proxy; else taken from the request. */
  readonly publicUrl: string | null;
}

const JSON_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
export const ODATA_HEADERS = { "OData-Version": "4.0" } as const;

function serviceRoot(c: Context, publicUrl: string | null): string {
  return `${publicUrl ?? new URL(c.req.url).origin}/odata`;
}

function query(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

function setOf(name: string): EntitySetSpec {
  const set = entitySet(name);
  if (set === undefined) {
    throw new ODataError(
      404,
      "NotFound",
      `no entity set "${name}"; entity sets: ${ENTITY_SETS.map((s) => s.name).join(", ")}`,
    );
  }
  return set;
}

/** `Prefer: odata.maxpagesize=N` lowers the page size (never raises it above the server's). */
function preferredPageSize(c: Context, serverPageSize: number): { size: number; applied: string | null } {
  const prefer = c.req.header("prefer") ?? "";
  const m = /(?:^|[,;\s])odata\.maxpagesize=(\d{1,9})(?:$|[,;\s])/i.exec(prefer);
  if (m === null) return { size: serverPageSize, applied: null };
  const size = Math.max(1, Math.min(serverPageSize, Number(m[1])));
  return { size, applied: `odata.maxpagesize=${size}` };
}

function contextUrl(root: string, q: EntityQuery): string {
  const select = q.selected ? `(${q.select.map((p) => p.name).join(",")})` : "";
  return `${root}/$metadata#${q.set.name}${select}`;
}

function nextLink(c: Context, deps: ODataRoutesDeps, skiptoken: number): string {
  const url = new URL(c.req.url);
  const params = new URLSearchParams(url.searchParams);
  // The key stays out of response bodies: Power BI adds it to every request itself (ApiKeyName or Headers).
  params.delete(deps.apiKeyParam);
  params.set("$skiptoken", String(skiptoken));
  // OData clients expect %20 rather than + for spaces.
  return `${serviceRoot(c, deps.publicUrl)}/${url.pathname.split("/").pop() ?? ""}?${params.toString().replace(/\+/g, "%20")}`;
}

/**
 * The read-only OData v4 feed: service document, `$metadata`, one collection per entity set with
 * $select/$filter/$orderby/$top/$skip/$count and server-driven paging, `/$count`, and CSV downloads (`/export`).
 */
export function odataRoutes(deps: ODataRoutesDeps): { odata: Hono; exports: Hono } {
  const odata = new Hono({ strict: false });
  const metadata = metadataXml(ENTITY_SETS);

  const root = (c: Context) => {
    checkDocumentOptions(query(c), deps.apiKeyParam, "json");
    return c.json(serviceDocument(serviceRoot(c, deps.publicUrl), ENTITY_SETS), 200, {
      ...ODATA_HEADERS,
      "Content-Type": JSON_TYPE,
    });
  };
  odata.get("/", root);

  odata.get("/$metadata", (c) => {
    checkDocumentOptions(query(c), deps.apiKeyParam, "xml");
    return c.body(metadata, 200, { ...ODATA_HEADERS, "Content-Type": "application/xml;charset=utf-8" });
  });

  odata.get("/:set/$count", async (c) => {
    const set = setOf(c.req.param("set"));
    const params = query(c);
    for (const name of params.keys()) {
      if (name !== "$filter" && name !== deps.apiKeyParam) {
        throw new ODataError(400, "InvalidQueryOption", `${name} is not available on /$count`, name);
      }
    }
    const q = parseQueryOptions(set, params, { paging: false, apiKeyParam: deps.apiKeyParam });
    const count = await deps.db.collection(deps.collections[set.collection]).countDocuments(q.filter);
    return c.body(String(count), 200, { ...ODATA_HEADERS, "Content-Type": "text/plain;charset=utf-8" });
  });

  odata.get("/:set", async (c) => {
    const set = setOf(c.req.param("set"));
    const q = parseQueryOptions(set, query(c), { paging: true, apiKeyParam: deps.apiKeyParam });
    const { size, applied } = preferredPageSize(c, deps.pageSize);
    const page = await readPage(deps.db, deps.collections, q, size);
    const body: Record<string, unknown> = { "@odata.context": contextUrl(serviceRoot(c, deps.publicUrl), q) };
    if (page.count !== undefined) body["@odata.count"] = page.count;
    body.value = page.rows;
    if (page.nextSkiptoken !== undefined) body["@odata.nextLink"] = nextLink(c, deps, page.nextSkiptoken);
    return c.json(body, 200, {
      ...ODATA_HEADERS,
      "Content-Type": JSON_TYPE,
      ...(applied === null ? {} : { "Preference-Applied": applied }),
    });
  });

  odata.all("*", (c) => {
    throw new ODataError(404, "NotFound", `no OData resource at ${new URL(c.req.url).pathname}`);
  });

  const exports = new Hono({ strict: false });
  exports.get("/:file", (c) => {
    const file = c.req.param("file");
    if (!file.endsWith(".csv"))
      throw new ODataError(404, "NotFound", `downloads are <EntitySet>.csv, not "${file}"`);
    const set = setOf(file.slice(0, -".csv".length));
    const q = parseQueryOptions(set, query(c), { paging: false, apiKeyParam: deps.apiKeyParam });
    return c.body(csvStream(deps.db, deps.collections, q), 200, {
      "Content-Type": "text/csv;charset=utf-8",
      "Content-Disposition": `attachment; filename="${set.name}.csv"`,
    });
  });
  return { odata, exports };
}
