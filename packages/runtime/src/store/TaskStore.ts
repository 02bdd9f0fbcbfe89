/**
 * Stores of one stream task, as interfaces (MongoTaskStore over MongoDB, InMemoryTaskStore for unit tests).
 *
 * Every document carries a fence: the input offset of the last record applied to it. Writes are idempotent and only
 * move forward (`_offset < offset`), so replaying records after a crash or a rebalance never double-counts.
 * Reducer states are opaque strings (the core state codecs' output), so no data-derived key ever becomes a
 * MongoDB field name.
 */

/** Per input key (partitionKey): dedup state, the key's stream time, exact counters. Written LAST in a batch. */
export interface KeyStateRecord {
  readonly key: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Encoded Deduplicator state. */
  readonly dedup: string;
  /** Max event_time seen for this key (epoch ms), the key's watermark; null before the first event. */
  readonly streamTime: number | null;
  readonly events: number;
  readonly duplicates: number;
  readonly late: number;
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
  loadKeys(ids: readonly string[]): Promise<ReadonlyMap<string, KeyStateRecord>>;
  loadDocs(collection: string, ids: readonly string[]): Promise<ReadonlyMap<string, FencedState>>;
  loadParts(
    collection: string,
    partition: number,
    ids: readonly string[],
  ): Promise<ReadonlyMap<string, FencedState>>;
  /** Fenced upserts of single-writer documents (one bulk write). */
  writeDocs(collection: string, records: readonly AggregateRecord[]): Promise<void>;
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
