import type { Collection, Db, Document } from "mongodb";
import type {
  AggregateRecord,
  CollectionIndexes,
  DedupDrop,
  DedupRange,
  DedupSlots,
  FencedState,
  KeyStateRecord,
  LoadedKeyState,
  LoadedPart,
  MergeParts,
  PartRecord,
  StoreAdmin,
  TaskStore,
} from "./TaskStore.js";
import {
  DEDUP_BUCKET_SLOTS,
  dedupBucketId,
  dedupBuckets,
  dedupSlotFields,
  readDedupSlots,
} from "./dedupSlots.js";
import { bulkFencedUpsert, fromLong, toLong } from "./fencedWrite.js";
import type { FencedUpdate, StoredDocument } from "./fencedWrite.js";
import { changedFields } from "./fieldDelta.js";

export interface MongoTaskStoreOptions {
  readonly db: Db;
  /** The runtime's own collection of per-key states (default `key_state`). */
  readonly keyStateCollection?: string;
  /** Clock for `updated_at`. */
  readonly now?: () => number;
}

export const KEY_STATE_COLLECTION = "key_state";
/** The dedup slots of the key states in `collection` (`key_state_dedup` by default). */
export const dedupCollection = (keyStateCollection: string): string => `${keyStateCollection}_dedup`;

const partField = (partition: number) => `p${partition}`;
/** The first bucket that still holds a slot at or above `slot`: the ones below it may be dropped. */
const bucketBelow = (slot: number): number => Math.floor(slot / DEDUP_BUCKET_SLOTS);

/** The TaskStore over MongoDB: plain `$set`/`$inc` updates with offset fences, no transactions. */
export class MongoTaskStore implements TaskStore, StoreAdmin {
  readonly keyStateCollection: string;
  private readonly db: Db;
  private readonly now: () => number;

  constructor(options: MongoTaskStoreOptions) {
    this.db = options.db;
    this.keyStateCollection = options.keyStateCollection ?? KEY_STATE_COLLECTION;
    this.now = options.now ?? Date.now;
  }

  private collection(name: string): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(name);
  }

  async ensureIndexes(specs: readonly CollectionIndexes[]): Promise<void> {
    const dedup: CollectionIndexes = {
      collection: dedupCollection(this.keyStateCollection),
      indexes: [{ key: { k: 1, b: 1 }, name: "key_bucket" }],
    };
    await Promise.all(
      [...specs, dedup]
        .filter((spec) => spec.indexes.length > 0)
        .map((spec) =>
          this.collection(spec.collection).createIndexes(
            spec.indexes.map((index) => ({ key: { ...index.key }, name: index.name })),
          ),
        ),
    );
  }

  async loadKeys(ids: readonly string[]): Promise<ReadonlyMap<string, LoadedKeyState>> {
    const result = new Map<string, LoadedKeyState>();
    if (ids.length === 0) return result;
    const docs = await this.collection(this.keyStateCollection)
      .find({ _id: { $in: [...ids] } })
      .toArray();
    for (const doc of docs) {
      const key = String(doc._id);
      const streamTime = doc.stream_time instanceof Date ? doc.stream_time.getTime() : null;
      result.set(key, {
        key,
        partition: Number(doc._partition),
        offset: fromLong(doc._offset),
        dedupSize: Number(doc.dedup_size ?? 0),
        ...(typeof doc.dedup === "string" && doc.dedup_size === undefined ? { legacyDedup: doc.dedup } : {}),
        streamTime,
        events: Number(doc.events ?? 0),
        duplicates: Number(doc.duplicates ?? 0),
        late: Number(doc.late ?? 0),
      });
    }
    return result;
  }

  async loadDocs(collection: string, ids: readonly string[]): Promise<ReadonlyMap<string, FencedState>> {
    const result = new Map<string, FencedState>();
    if (ids.length === 0) return result;
    const docs = await this.collection(collection)
      .find({ _id: { $in: [...ids] } }, { projection: { _state: 1, _offset: 1 } })
      .toArray();
    for (const doc of docs)
      result.set(String(doc._id), { offset: fromLong(doc._offset), state: String(doc._state) });
    return result;
  }

  async loadParts(
    collection: string,
    partition: number,
    ids: readonly string[],
  ): Promise<ReadonlyMap<string, FencedState>> {
    const result = new Map<string, FencedState>();
    if (ids.length === 0) return result;
    const field = partField(partition);
    const docs = await this.collection(collection)
      .find({ _id: { $in: [...ids] } }, { projection: { [`_parts.${field}`]: 1 } })
      .toArray();
    for (const doc of docs) {
      const part = (doc._parts as Record<string, Document> | undefined)?.[field];
      if (part !== undefined)
        result.set(String(doc._id), { offset: fromLong(part.o), state: String(part.s) });
    }
    return result;
  }

  async writeDocs(collection: string, records: readonly AggregateRecord[]): Promise<ReadonlySet<string>> {
    const updatedAt = new Date(this.now());
    const target = this.collection(collection);
    const whole: AggregateRecord[] = [];
    const deltas: { record: AggregateRecord; since: bigint; changed: Record<string, unknown> }[] = [];
    for (const r of records) {
      const changed = r.written === undefined ? null : changedFields(r.fields, r.written.fields);
      if (r.written === undefined || changed === null) whole.push(r);
      else deltas.push({ record: r, since: r.written.offset, changed });
    }
    const applied = new Set<string>();
    if (deltas.length > 0) {
      // A delta applies only to the document as this task left it: the filter is its exact fence.
      const result = await target.bulkWrite(
        deltas.map(({ record: r, since, changed }) => ({
          updateOne: {
            filter: { _id: r.id, _offset: toLong(since) },
            update: {
              $set: { ...changed, updated_at: updatedAt, _state: r.state, _offset: toLong(r.offset) },
            },
          },
        })),
        { ordered: false },
      );
      if (result.matchedCount === deltas.length) for (const d of deltas) applied.add(d.record.id);
      else {
        // Some document moved (another writer, or this write's own earlier attempt): read the fences back; the
        // deltas that did not land become whole fenced writes.
        const fences = await target
          .find({ _id: { $in: deltas.map((d) => d.record.id) } }, { projection: { _offset: 1 } })
          .toArray();
        const at = new Map(fences.map((doc) => [String(doc._id), fromLong(doc._offset)]));
        for (const { record } of deltas)
          if (at.get(record.id) === record.offset) applied.add(record.id);
          else whole.push(record);
      }
    }
    const ops: FencedUpdate[] = whole.map((r) => ({
      id: r.id,
      fence: "_offset",
      offset: r.offset,
      update: {
        $set: {
          ...r.fields,
          updated_at: updatedAt,
          _state: r.state,
          _partition: r.partition,
          _offset: toLong(r.offset),
        },
      },
    }));
    const refused = await bulkFencedUpsert(target, ops);
    for (const r of whole) if (!refused.has(r.id)) applied.add(r.id);
    return applied;
  }

  async writeParts(collection: string, records: readonly PartRecord[]): Promise<void> {
    const ops: FencedUpdate[] = records.map((r) => {
      const path = `_parts.${partField(r.partition)}`;
      return {
        id: r.id,
        fence: `${path}.o`,
        offset: r.offset,
        update: { $set: { ...r.identity, [path]: { o: toLong(r.offset), s: r.state } }, $inc: { _rev: 1 } },
      };
    });
    await bulkFencedUpsert(this.collection(collection), ops);
  }

  async mergeShared(name: string, ids: readonly string[], merge: MergeParts): Promise<void> {
    if (ids.length === 0) return;
    const collection = this.collection(name);
    const docs = await collection.find({ _id: { $in: [...ids] } }).toArray();
    const updatedAt = new Date(this.now());
    const models = [];
    for (const doc of docs) {
      if (doc._merged_rev !== undefined && doc._merged_rev === doc._rev) continue;
      const parts: LoadedPart[] = Object.entries((doc._parts ?? {}) as Record<string, Document>).map(
        ([field, p]) => ({
          partition: Number(field.slice(1)),
          offset: fromLong(p.o),
          state: String(p.s),
        }),
      );
      parts.sort((a, b) => a.partition - b.partition);
      const fields = merge(String(doc._id), parts);
      // Compare-and-set on `_rev` and on every part's offset as read: a merge computed from any stale part (a read
      // that raced a part write) can never be recorded, even on a server that returned a half-updated document.
      const partFences = Object.fromEntries(
        parts.map((p) => [`_parts.${partField(p.partition)}.o`, toLong(p.offset)]),
      );
      models.push({
        updateOne: {
          filter: { _id: doc._id, _rev: doc._rev, ...partFences },
          update: { $set: { ...fields, updated_at: updatedAt, _merged_rev: doc._rev } },
        },
      });
    }
    // A compare-and-set miss means another part was written after our read; its writer merges again.
    if (models.length > 0) await collection.bulkWrite(models, { ordered: false });
  }

  async writeKeys(records: readonly KeyStateRecord[]): Promise<void> {
    const updatedAt = new Date(this.now());
    const ops: FencedUpdate[] = records.map((r) => ({
      id: r.key,
      fence: "_offset",
      offset: r.offset,
      update: {
        $set: {
          _partition: r.partition,
          _offset: toLong(r.offset),
          dedup_size: r.dedupSize,
          stream_time: r.streamTime === null ? null : new Date(r.streamTime),
          events: r.events,
          duplicates: r.duplicates,
          late: r.late,
          updated_at: updatedAt,
        },
        $unset: { dedup: "" },
      },
    }));
    await bulkFencedUpsert(this.collection(this.keyStateCollection), ops);
  }

  async loadDedup(ranges: readonly DedupRange[]): Promise<ReadonlyMap<string, [string, number][]>> {
    const result = new Map<string, [string, number][]>();
    const wanted = ranges.filter((r) => r.to > r.from);
    if (wanted.length === 0) return result;
    const ids = wanted.flatMap((r) => dedupBuckets(r.from, r.to).map((b) => dedupBucketId(r.key, b)));
    const docs = await this.collection(dedupCollection(this.keyStateCollection))
      .find({ _id: { $in: ids } })
      .toArray();
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    for (const range of wanted) result.set(range.key, readDedupSlots(range, byId));
    return result;
  }

  async writeDedup(slots: readonly DedupSlots[]): Promise<void> {
    const models = slots.flatMap((s) =>
      dedupSlotFields(s).map(([bucket, fields]) => ({
        updateOne: {
          filter: { _id: dedupBucketId(s.key, bucket) },
          update: { $set: { k: s.key, b: bucket, ...fields } },
          upsert: true,
        },
      })),
    );
    if (models.length === 0) return;
    // Same-value writes: a replay or a zombie writes what is there already. Concurrent upserts of one new bucket
    // may collide (E11000); the retrying store writes them again, and then they update.
    await this.collection(dedupCollection(this.keyStateCollection)).bulkWrite(models, { ordered: false });
  }

  async dropDedup(drops: readonly DedupDrop[]): Promise<void> {
    const models = drops
      .filter((d) => bucketBelow(d.before) < bucketBelow(d.below))
      .map((d) => ({ deleteMany: { filter: { k: d.key, b: { $lt: bucketBelow(d.below) } } } }));
    if (models.length === 0) return;
    await this.collection(dedupCollection(this.keyStateCollection)).bulkWrite(models, { ordered: false });
  }
}
