import type { Collection, Document } from "mongodb";
import { MongoClient } from "mongodb";
import type { GeneratedRecord } from "../Generator.js";
import { createBatcher } from "../internal/Batcher.js";
import type { Sink } from "./Sink.js";

export interface MongoSinkOptions {
  readonly uri: string;
  readonly db: string;
  /** Default "telemetry", the collection the MongoDB source watches. */
  readonly collection?: string;
  /** Documents per insertMany. */
  readonly batchSize: number;
  /** How long a partly filled batch may wait, ms. */
  readonly lingerMs: number;
}

/** The document to insert: the event as it is on the wire; the driver adds `_id`, so it gets its own copy. */
const toDocument = (record: GeneratedRecord): Document => {
  if (record.kind !== "malformed") return { ...record.event };
  if (record.document === undefined) {
    throw new Error('a malformed record for MongoDB needs malformedFormat "document"');
  }
  return { ...record.document };
};

/**
 * Inserts records into the `telemetry` collection, the MongoDB-first ingestion path: ordered `insertMany`
 * in batches, one in flight at a time, so documents are inserted (and seen by a change stream) in order.
 */
export const createMongoSink = async (options: MongoSinkOptions): Promise<Sink> => {
  const client = new MongoClient(options.uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const collection: Collection = client.db(options.db).collection(options.collection ?? "telemetry");

  const batcher = createBatcher<Document>({
    batchSize: options.batchSize,
    lingerMs: options.lingerMs,
    send: (documents) => collection.insertMany(documents, { ordered: true }),
  });

  return {
    target: `mongodb:${options.db}.${collection.collectionName}`,
    write(record) {
      return batcher.add(toDocument(record));
    },
    async close() {
      try {
        await batcher.flush();
      } finally {
        await client.close();
      }
    },
  };
};
