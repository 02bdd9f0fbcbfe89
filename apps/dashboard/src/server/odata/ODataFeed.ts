import type { CollectionNames } from "@gametel/runtime";
import { stringify } from "csv-stringify/sync";
import type { Db, Document } from "mongodb";
import type { EntityQuery } from "./QueryOptions.js";
import { projection, propertyValue, toRow } from "./Rows.js";

/** One page of a feed query. */
export interface FeedPage {
  readonly rows: readonly Record<string, string | number | null>[];
  /** Rows matching $filter, when $count=true (ignores $top and $skip, as OData says). */
  readonly count: number | undefined;
  /** $skiptoken of the next page, when there is one. */
  readonly nextSkiptoken: number | undefined;
}

/** Reads one page: `$skip` + rows already delivered, at most `pageSize` rows and never past `$top`. */
export async function readPage(
  db: Db,
  collections: CollectionNames,
  query: EntityQuery,
  pageSize: number,
): Promise<FeedPage> {
  const collection = db.collection(collections[query.set.collection]);
  const delivered = query.skiptoken;
  const remaining = query.top === undefined ? Number.POSITIVE_INFINITY : query.top - delivered;
  const limit = Math.max(0, Math.min(pageSize, remaining));
  const [docs, count] = await Promise.all([
    limit === 0
      ? Promise.resolve([] as Document[])
      : collection
          .find(query.filter, { projection: projection(query.select) })
          .sort(query.sort)
          .skip(query.skip + delivered)
          // One more than the page, to know whether a next page exists without a count.
          .limit(limit + 1)
          .toArray(),
    query.count ? collection.countDocuments(query.filter) : Promise.resolve(undefined),
  ]);
  const rows = docs.slice(0, limit).map((doc) => toRow(doc, query.select));
  const more = docs.length > limit && limit < remaining;
  return { rows, count, nextSkiptoken: more ? delivered + limit : undefined };
}

const CSV_CHUNK = 500;

/** The whole result of a query as CSV (header row first), streamed from a MongoDB cursor in chunks. */
export function csvStream(
  db: Db,
  collections: CollectionNames,
  query: EntityQuery,
): ReadableStream<Uint8Array> {
  const collection = db.collection(collections[query.set.collection]);
  let cursor = collection
    .find(query.filter, { projection: projection(query.select) })
    .sort(query.sort)
    .skip(query.skip);
  if (query.top !== undefined) cursor = cursor.limit(query.top);
  const columns = query.select.map((p) => p.name);
  const encoder = new TextEncoder();
  let header = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const records: (string | number | null)[][] = [];
      while (records.length < CSV_CHUNK) {
        const doc = await cursor.next();
        if (doc === null) break;
        records.push(query.select.map((p) => propertyValue(doc, p)));
      }
      if (records.length > 0 || header) {
        controller.enqueue(encoder.encode(stringify(records, { header, columns, cast: { number: String } })));
        header = false;
      }
      if (records.length < CSV_CHUNK) {
        await cursor.close();
        controller.close();
      }
    },
    async cancel() {
      await cursor.close();
    },
  });
}
