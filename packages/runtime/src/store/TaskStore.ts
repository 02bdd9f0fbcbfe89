import type { WrittenFields } from "./fieldDelta.js";

/**
 * Stores of one stream task, as interfaces (MongoTaskStore over MongoDB, InMemoryTaskStore for unit tests).
 *
 * Every document carries a fence: the input offset of the last record applied to it. Writes are idempotent and only
 * move forward (`_offset < offset`), so replaying records after a crash or a rebalance never double-counts.
 * Reducer states are opaque strings (the core state codecs' output), so no data-derived key ever becomes a
 * MongoDB field name.
 */

/**
 * Per input key (partitionKey): the size of its dedup memory, the key's stream time, exact counters. Written LAST in
 * a commit. The key's admitted event ids are numbered 0, 1, ... (`events` of them so far); its dedup memory is the
 * last `dedupSize` of them, kept apart as dedup slots (`DedupSlots`), so a write carries only the ids added since
 * the previous one.
 */
export interface KeyStateRecord {
  readonly key: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Ids in the dedup memory: slots `events - dedupSize` to `events - 1`. */
  readonly dedupSize: number;
  /** Max event_time seen for this key (epoch ms), the key's watermark; null before the first event. */
  readonly streamTime: number | null;
  readonly events: number;
  readonly duplicates: number;
  readonly late: number;
}

/** A key state as loaded: key states written before dedup slots existed hold their whole encoded memory instead. */
export interface LoadedKeyState extends KeyStateRecord {
  /** Encoded Deduplicator state (legacy documents only; `dedupSize` is then 0 and no slot is read). */
  readonly legacyDedup?: string;
}

/**
 * Ids a key admitted since its last write, as `[id, event_time]`: slot `from + i` holds `ids[i]`. A slot's content
 * is a function of the key's records, so writing it again (a replay, a zombie) writes the same value.
 */
export interface DedupSlots {
  readonly key: string;
  readonly from: number;
  readonly ids: readonly (readonly [string, number])[];
}

/** The slots `from` to `to - 1` of a key to read back. */
export interface DedupRange {
  readonly key: string;
  readonly from: number;
  readonly to: number;
}

/** Slots below `below` are outside the key's memory (its key state moved past them) and may be dropped. */
export interface DedupDrop {
  readonly key: string;
  /** The memory's first slot at the previous drop (or load); the store skips the drop when nothing new fell out. */
  readonly before: number;
  readonly below: number;
}

/** A single-writer document of a keyed aggregation (e.g. a player's all-time stats or one player window). */
export interface AggregateRecord {
  readonly id: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Encoded reducer state. */
  readonly state: string;
  /** Public fields written as they are (identity fields, result fields, BSON dates). */
  readonly fields: Readonly<Record<string, unknown>>;
  /**
   * What this task last wrote to the document and knows it holds: the store may then send only the fields that
   * changed since (`changedFields`), applied only while the document is still at `written.offset`.
   */
  readonly written?: WrittenFields;
}

/** Loaded state of a fenced document (aggregate or part). */
export interface FencedState {
  readonly offset: bigint;
  readonly state: string;
}

/** One partition's part of a shared document of a merged aggregation (e.g. a match, a server's window). */
export interface PartRecord {
  readonly id: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly state: string;
  /** Identity fields of the shared document (game_id, match_id, ...), set on every write. */
  readonly identity: Readonly<Record<string, unknown>>;
}

/** A part read back for merging. */
export interface LoadedPart {
  readonly partition: number;
  readonly offset: bigint;
  readonly state: string;
}

/** Merges all parts of a shared document into its public fields. */
export type MergeParts = (id: string, parts: readonly LoadedPart[]) => Readonly<Record<string, unknown>>;

/**
 * The state of one stream task, by collection: the model's aggregations name their collections, the store knows no
 * game. Keyed aggregations use `loadDocs`/`writeDocs`, merged ones `loadParts`/`writeParts`/`mergeShared`.
 */
export interface TaskStore {
  loadKeys(ids: readonly string[]): Promise<ReadonlyMap<string, LoadedKeyState>>;
  /** The dedup memories of keys, ids in slot order; fails when a slot of a range is missing. */
  loadDedup(ranges: readonly DedupRange[]): Promise<ReadonlyMap<string, [string, number][]>>;
  /** Idempotent writes of new dedup slots (one bulk write); written before the key states that count them. */
  writeDedup(slots: readonly DedupSlots[]): Promise<void>;
  /** Drops slots the written key states no longer count (after `writeKeys`). */
  dropDedup(drops: readonly DedupDrop[]): Promise<void>;
  loadDocs(collection: string, ids: readonly string[]): Promise<ReadonlyMap<string, FencedState>>;
  loadParts(
    collection: string,
    partition: number,
    ids: readonly string[],
  ): Promise<ReadonlyMap<string, FencedState>>;
  /**
   * Fenced upserts of single-writer documents (one bulk write; a second one when a field delta found its document
   * moved). Resolves to the ids of the documents that now hold exactly their record: a record the fence refused
   * (a replay, a zombie) is left out, and its document's content is then unknown to the task.
   */
  writeDocs(collection: string, records: readonly AggregateRecord[]): Promise<ReadonlySet<string>>;
  /** Fenced upserts of this partition's parts of shared documents (one bulk write). */
  writeParts(collection: string, records: readonly PartRecord[]): Promise<void>;
  /** Recompute the public fields of shared documents from all their parts (compare-and-set on the doc revision). */
  mergeShared(collection: string, ids: readonly string[], merge: MergeParts): Promise<void>;
  /** Fenced upserts of key states (one bulk write), the commit marker of a batch's decisions. */
  writeKeys(records: readonly KeyStateRecord[]): Promise<void>;
}

/** The indexes one collection needs. */
export interface CollectionIndexes {
  readonly collection: string;
  readonly indexes: readonly { readonly key: Readonly<Record<string, 1 | -1>>; readonly name: string }[];
}

/** Creates indexes; called once at start with the model's declarations. */
export interface StoreAdmin {
  ensureIndexes(specs: readonly CollectionIndexes[]): Promise<void>;
}
