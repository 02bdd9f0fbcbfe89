import { BSON } from "mongodb";
import type { RuntimeMetrics } from "../ops/Metrics.js";
import { dedupBucketId, dedupSlotFields } from "./dedupSlots.js";
import { changedFields } from "./fieldDelta.js";
import type {
  AggregateRecord,
  DedupSlots,
  KeyStateRecord,
  MergeParts,
  PartRecord,
  TaskStore,
} from "./TaskStore.js";

/**
 * BSON size of what a write carries for one document: its id, public fields, encoded state and fence (the update
 * operators, filters and `updated_at` that the MongoDB store adds are left out, so the figure is the same for any
 * store layout of the same content).
 */
export const documentBytes = {
  /** A field delta (`written` set) carries the changed fields, the state and the fence; a whole write all fields. */
  doc: (r: AggregateRecord): number => {
    const changed = r.written === undefined ? null : changedFields(r.fields, r.written.fields);
    return changed === null
      ? BSON.calculateObjectSize({
          _id: r.id,
          ...r.fields,
          _state: r.state,
          _partition: r.partition,
          _offset: r.offset,
        })
      : BSON.calculateObjectSize({ _id: r.id, ...changed, _state: r.state, _offset: r.offset });
  },
  part: (r: PartRecord): number =>
    BSON.calculateObjectSize({
      _id: r.id,
      ...r.identity,
      _state: r.state,
      _partition: r.partition,
      _offset: r.offset,
    }),
  key: (r: KeyStateRecord): number =>
    BSON.calculateObjectSize({
      _id: r.key,
      _partition: r.partition,
      _offset: r.offset,
      dedup_size: r.dedupSize,
      stream_time: r.streamTime,
      events: r.events,
      duplicates: r.duplicates,
      late: r.late,
    }),
  merged: (id: string, fields: Readonly<Record<string, unknown>>): number =>
    BSON.calculateObjectSize({ _id: id, ...fields }),
  /** The slots set in each bucket document a key's new dedup ids touch: [documents, bytes]. */
  dedup: (r: DedupSlots): [number, number] => {
    const buckets = dedupSlotFields(r);
    const bytes = buckets.reduce(
      (total, [bucket, fields]) =>
        total + BSON.calculateObjectSize({ _id: dedupBucketId(r.key, bucket), ...fields }),
      0,
    );
    return [buckets.length, bytes];
  },
};

/**
 * Wraps a TaskStore with write metrics (like Kafka Streams' MeteredKeyValueStore): the duration of each bulk write,
 * and how many bulk writes, documents and BSON bytes each collection received — the figures that carry over to any
 * MongoDB deployment, whatever server the processor runs against.
 */
export function meteredTaskStore(inner: TaskStore, metrics: RuntimeMetrics): TaskStore {
  const timed = <T>(collection: string, run: () => Promise<T>): Promise<T> => {
    const end = metrics.storeWriteDuration.startTimer({ collection });
    return run().finally(() => end());
  };
  const wrote = (collection: string, documents: number, bytes: number) => {
    metrics.storeWrites.inc({ collection });
    metrics.storeDocumentsWritten.inc({ collection }, documents);
    metrics.storeBytesWritten.inc({ collection }, bytes);
  };
  const sum = <T>(records: readonly T[], size: (r: T) => number) =>
    records.reduce((total, r) => total + size(r), 0);
  return {
    loadKeys: (ids) => inner.loadKeys(ids),
    loadDedup: (ranges) => inner.loadDedup(ranges),
    writeDedup: (slots) => {
      if (slots.length === 0) return Promise.resolve();
      const [documents, bytes] = slots
        .map(documentBytes.dedup)
        .reduce(([d, b], [dn, bn]) => [d + dn, b + bn], [0, 0]);
      wrote("dedup", documents, bytes);
      return timed("dedup", () => inner.writeDedup(slots));
    },
    dropDedup: (drops) =>
      drops.length === 0 ? Promise.resolve() : timed("dedup_drop", () => inner.dropDedup(drops)),
    loadDocs: (collection, ids) => inner.loadDocs(collection, ids),
    loadParts: (collection, partition, ids) => inner.loadParts(collection, partition, ids),
    writeDocs: (kind, records) => {
      if (records.length === 0) return Promise.resolve(new Set<string>());
      wrote(kind, records.length, sum(records, documentBytes.doc));
      return timed(kind, () => inner.writeDocs(kind, records));
    },
    writeParts: (kind, records) => {
      if (records.length === 0) return Promise.resolve();
      const collection = `${kind}_parts`;
      wrote(collection, records.length, sum(records, documentBytes.part));
      return timed(collection, () => inner.writeParts(kind, records));
    },
    mergeShared: (kind, ids, merge) => {
      if (ids.length === 0) return Promise.resolve();
      const collection = `${kind}_merge`;
      // The store merges only documents whose parts changed; count those it computed (and so writes).
      let documents = 0;
      let bytes = 0;
      const measured: MergeParts = (id, parts) => {
        const fields = merge(id, parts);
        documents += 1;
        bytes += documentBytes.merged(id, fields);
        return fields;
      };
      return timed(collection, () => inner.mergeShared(kind, ids, measured)).finally(() => {
        if (documents > 0) wrote(collection, documents, bytes);
      });
    },
    writeKeys: (records) => {
      if (records.length === 0) return Promise.resolve();
      wrote("keys", records.length, sum(records, documentBytes.key));
      return timed("keys", () => inner.writeKeys(records));
    },
  };
}
