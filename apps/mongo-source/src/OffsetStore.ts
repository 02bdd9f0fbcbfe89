import type { Collection, Db, ResumeToken } from "mongodb";
import { Timestamp } from "mongodb";

/**
 * Where a change stream (re)starts. A resume token is what the server hands out with every change;
 * an operation time is what we record before the first change exists (start of a copy, first run).
 */
export type ResumePoint =
  | { readonly kind: "token"; readonly token: ResumeToken }
  | { readonly kind: "operationTime"; readonly operationTime: Timestamp };

/**
 * Progress of one source. `copy`: copying existing documents in `_id` order, `copyLastId` is the last
 * copied and acknowledged `_id`; the change stream then starts at `resumePoint`, which was taken before
 * the copy began. `stream`: following the change stream from `resumePoint`. `copySince`: the copy takes only
 * documents whose time field is at or after it (the recovery from a lost resume point).
 */
export interface SourceOffset {
  readonly namespace: string;
  readonly phase: "copy" | "stream";
  readonly resumePoint: ResumePoint;
  readonly copyLastId: unknown;
  readonly copied: number;
  readonly copySince?: CopySince | null;
}

/** The time condition of a `--copy-since` copy. */
export interface CopySince {
  readonly field: string;
  readonly at: Date;
}

/** An offset as loaded: the offset and when it was saved. */
export type SavedOffset = SourceOffset & { readonly savedAt: Date | null };

/** Persistence of a source's offset. Saved only after Kafka acknowledged everything before it. */
export interface OffsetStore {
  load(): Promise<SavedOffset | null>;
  save(offset: SourceOffset): Promise<void>;
  clear(): Promise<void>;
}

/** The stored shape: one document per source name in `_gametel_source_offsets`. */
interface OffsetDocument {
  _id: string;
  namespace: string;
  phase: "copy" | "stream";
  resume_token?: ResumeToken;
  start_at_operation_time?: Timestamp;
  copy_last_id?: unknown;
  copied: number;
  copy_since?: { field: string; at: Date };
  updated_at: Date;
}

export function createMongoOffsetStore(db: Db, collectionName: string, sourceName: string): OffsetStore {
  const offsets: Collection<OffsetDocument> = db.collection<OffsetDocument>(collectionName);
  return {
    async load() {
      const doc = await offsets.findOne({ _id: sourceName });
      return doc === null ? null : fromDocument(doc);
    },
    async save(offset) {
      // replaceOne, not $set: the stored fields are exactly the current offset (no stale token next to a time).
      await offsets.replaceOne({ _id: sourceName }, toDocument(sourceName, offset), { upsert: true });
    },
    async clear() {
      await offsets.deleteOne({ _id: sourceName });
    },
  };
}

function toDocument(name: string, offset: SourceOffset): OffsetDocument {
  return {
    _id: name,
    namespace: offset.namespace,
    phase: offset.phase,
    ...(offset.resumePoint.kind === "token"
      ? { resume_token: offset.resumePoint.token }
      : { start_at_operation_time: offset.resumePoint.operationTime }),
    ...(offset.phase === "copy" && offset.copyLastId !== undefined && offset.copyLastId !== null
      ? { copy_last_id: offset.copyLastId }
      : {}),
    ...(offset.phase === "copy" && offset.copySince ? { copy_since: { ...offset.copySince } } : {}),
    copied: offset.copied,
    updated_at: new Date(),
  };
}

function fromDocument(doc: OffsetDocument): SavedOffset {
  let resumePoint: ResumePoint;
  if (doc.resume_token !== undefined && doc.resume_token !== null) {
    resumePoint = { kind: "token", token: doc.resume_token };
  } else if (doc.start_at_operation_time instanceof Timestamp) {
    resumePoint = { kind: "operationTime", operationTime: doc.start_at_operation_time };
  } else {
    throw new Error(`offset document "${doc._id}" has neither resume_token nor start_at_operation_time`);
  }
  return {
    namespace: doc.namespace,
    phase: doc.phase === "copy" ? "copy" : "stream",
    resumePoint,
    copyLastId: doc.copy_last_id ?? null,
    copied: typeof doc.copied === "number" ? doc.copied : 0,
    copySince:
      doc.phase === "copy" && doc.copy_since?.at instanceof Date
        ? { field: doc.copy_since.field, at: doc.copy_since.at }
        : null,
    savedAt: doc.updated_at instanceof Date ? doc.updated_at : null,
  };
}
