import type { DashboardCollections } from "../Collections.js";
import type { Context } from "hono";
import { Hono } from "hono";
import type { Db, Document, Filter } from "mongodb";
import { metadataXml, serviceDocument } from "./Csdl.js";
import type { ExportSlots } from "../guard/ExportSlots.js";
import { ENTITY_SETS, entitySet } from "./EntitySets.js";
import type { EntitySetSpec } from "./EntitySets.js";
import { csvStream, readPage } from "./ODataFeed.js";
import { ODataError } from "./ODataError.js";
import type { EntityQuery } from "./QueryOptions.js";
import { checkDocumentOptions, parseQueryOptions } from "./QueryOptions.js";
import { projection, toRow } from "./Rows.js";

export interface ODataRoutesDeps {
  readonly db: Db;
  readonly collections: DashboardCollections;
  readonly pageSize: number;
  /** The query parameter that may carry the API key (kept in next links when the client used it). */
  readonly apiKeyParam: string;
  /** Public base URL (e.g. https://insights.example.com) when behind a proxy; else taken from the request. */
  readonly publicUrl: string | null;
  /** Bound on CSV exports running at once. */
  readonly exportSlots: ExportSlots;
  /** maxTimeMS of an export's cursor. */
  readonly exportTimeoutMs: number;
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

/** The key in `Set('…')` or `Set(id='…')`: an OData string literal ('' stands for a quote). */
function keyLiteral(literal: string): string {
  const m = /^(?:id=)?'((?:[^']|'')*)'$/s.exec(literal);
  if (m === null) {
    throw new ODataError(
      400,
      "InvalidKey",
      `a key is a quoted string, e.g. ('arena:player-0031'), not (${literal})`,
    );
  }
  return m[1]!.replace(/''/g, "'");
}

function contextUrl(root: string, q: EntityQuery): string {
  const select = q.selected ? `(${q.select.map((p) => p.name).join(",")})` : "";
  return `${root}/$metadata#${q.set.name}${select}`;
}

function nextLink(c: Context, deps: ODataRoutesDeps, skiptoken: string): string {
  const url = new URL(c.req.url);
  const params = new URLSearchParams(url.searchParams);
  // A key the client put in the URL stays there (clients follow next links as they are; without it page 2 is a
  // 401). A key sent in a header is never written into a body.
  params.set("$skiptoken", skiptoken);
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
    const segment = c.req.param("set");
    const keyed = /^([A-Za-z]\w*)\((.*)\)$/s.exec(segment);
    if (keyed !== null) return entityByKey(c, setOf(keyed[1]!), keyed[2]!);
    const set = setOf(segment);
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

  /** `PlayerStats('arena:player-0031')`: one entity by its key, or 404. */
  async function entityByKey(c: Context, set: EntitySetSpec, literal: string) {
    const id = keyLiteral(literal);
    const params = query(c);
    for (const name of params.keys()) {
      if (name !== "$select" && name !== "$format" && name !== deps.apiKeyParam) {
        throw new ODataError(400, "InvalidQueryOption", `${name} is not available on a single entity`, name);
      }
    }
    const q = parseQueryOptions(set, params, { paging: false, apiKeyParam: deps.apiKeyParam });
    const base = Object.keys(set.baseFilter).length > 0 ? [set.baseFilter] : [];
    const doc = await deps.db
      .collection(deps.collections[set.collection])
      .findOne({ $and: [...base, { _id: id }] } as Filter<Document>, { projection: projection(q.select) });
    if (doc === null) throw new ODataError(404, "NotFound", `no ${set.name} with id '${id}'`);
    const context = `${contextUrl(serviceRoot(c, deps.publicUrl), q)}/$entity`;
    return c.json({ "@odata.context": context, ...toRow(doc, q.select) }, 200, {
      ...ODATA_HEADERS,
      "Content-Type": JSON_TYPE,
    });
  }

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
    const release = deps.exportSlots.acquire();
    const csv = csvStream(deps.db, deps.collections, q, { maxTimeMS: deps.exportTimeoutMs, onEnd: release });
    return c.body(csv, 200, {
      "Content-Type": "text/csv;charset=utf-8",
      "Content-Disposition": `attachment; filename="${set.name}.csv"`,
    });
  });
  return { odata, exports };
}
