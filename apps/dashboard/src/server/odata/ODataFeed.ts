import type { DashboardCollections } from "../Collections.js";
import { stringify } from "csv-stringify/sync";
import type { Db, Document, Filter } from "mongodb";
import { encodeSkiptoken, keysetFilter } from "./Keyset.js";
import type { EntityQuery } from "./QueryOptions.js";
import { at, projection, propertyValue, toRow } from "./Rows.js";

/** One page of a feed query. */
export interface FeedPage {
  readonly rows: readonly Record<string, string | number | null>[];
  /** Rows matching $filter, when $count=true (ignores $top and $skip, as OData says). */
  readonly count: number | undefined;
  /** $skiptoken of the next page, when there is one. */
  readonly nextSkiptoken: string | undefined;
}

/**
 * Reads one page. Pages are a keyset over the sort keys with the key `_id` last: a page starts strictly after
 * the previous page's last row, so rows inserted, updated or deleted between pages never shift the rest (no row
 * twice, none skipped, except rows whose sort value itself moved across the boundary). `$skip` applies to the
 * first page only; `$top` counts the rows delivered by all pages.
 */
export async function readPage(
  db: Db,
  collections: DashboardCollections,
  query: EntityQuery,
  pageSize: number,
): Promise<FeedPage> {
  const collection = db.collection(collections[query.set.collection]);
  const token = query.skiptoken;
  const delivered = token?.delivered ?? 0;
  const remaining = query.top === undefined ? Number.POSITIVE_INFINITY : query.top - delivered;
  const limit = Math.max(0, Math.min(pageSize, remaining));
  const filter: Filter<Document> =
    token === null ? query.filter : { $and: [query.filter, keysetFilter(query.sortKeys, token.values)] };
  const fields = {
    ...projection(query.select),
    ...Object.fromEntries(query.sortKeys.map(([path]) => [path, 1])),
  };
  const [docs, count] = await Promise.all([
    limit === 0
      ? Promise.resolve([] as Document[])
      : collection
          .find(filter, { projection: fields })
          .sort(query.sort)
          .skip(token === null ? query.skip : 0)
          // One more than the page, to know whether a next page exists without a count.
          .limit(limit + 1)
          .toArray(),
    query.count ? collection.countDocuments(query.filter) : Promise.resolve(undefined),
  ]);
  const page = docs.slice(0, limit);
  const rows = page.map((doc) => toRow(doc, query.select));
  const last = page.at(-1);
  const more = docs.length > limit && limit < remaining && last !== undefined;
  return {
    rows,
    count,
    nextSkiptoken: more
      ? encodeSkiptoken(
          delivered + limit,
          query.sortKeys.map(([path]) => at(last, path)),
        )
      : undefined,
  };
}

const CSV_CHUNK = 500;

/** How an export's cursor runs: its own maxTimeMS, and a call when the download ends however it ends. */
export interface CsvExportOptions {
  readonly maxTimeMS: number;
  readonly onEnd: () => void;
}

/**
 * The whole result of a query as CSV (UTF-8 BOM, header row first), streamed from a MongoDB cursor in chunks.
 * `onEnd` is called once when the stream is done, fails, or the client goes away.
 */
export function csvStream(
  db: Db,
  collections: DashboardCollections,
  query: EntityQuery,
  options: CsvExportOptions,
): ReadableStream<Uint8Array> {
  const collection = db.collection(collections[query.set.collection]);
  let cursor = collection
    .find(query.filter, { projection: projection(query.select), maxTimeMS: options.maxTimeMS })
    .sort(query.sort)
    .skip(query.skip);
  if (query.top !== undefined) cursor = cursor.limit(query.top);
  const columns = query.select.map((p) => p.name);
  const encoder = new TextEncoder();
  let header = true;
  let ended = false;
  const end = async () => {
    ended = true;
    options.onEnd();
    await cursor.close().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const records: (string | number | null)[][] = [];
      try {
        while (records.length < CSV_CHUNK) {
          const doc = await cursor.next();
          if (doc === null) break;
          records.push(query.select.map((p) => propertyValue(doc, p)));
        }
      } catch (error) {
        // A read still waiting when the download was cancelled fails with the closed cursor: nobody listens.
        if (ended) return;
        await end();
        throw error;
      }
      if (records.length > 0 || header) {
        const text = stringify(records, { header, columns, cast: { number: String } });
        // A UTF-8 byte order mark first: Excel on Windows reads the file as UTF-8 only with it (non-ASCII names).
        controller.enqueue(encoder.encode(header ? `\uFEFF${text}` : text));
        header = false;
      }
      if (records.length < CSV_CHUNK) {
        await end();
        controller.close();
      }
    },
    cancel: end,
  });
}
