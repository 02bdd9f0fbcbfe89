/**
 * Stores of one stream task, as interfaces (implementations live in `internals/`).
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

/** A single-writer aggregate document: player all-time stats or one player window. */
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

/** One partition's part of a shared (cross-partition) aggregate: match stats or server perf window. */
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

export type AggregateKind = "players" | "windows";
export type SharedKind = "matches" | "servers";

export interface TaskStore {
  loadKeys(ids: readonly string[]): Promise<ReadonlyMap<string, KeyStateRecord>>;
  loadAggregates(kind: AggregateKind, ids: readonly string[]): Promise<ReadonlyMap<string, FencedState>>;
  loadParts(
    kind: SharedKind,
    partition: number,
    ids: readonly string[],
  ): Promise<ReadonlyMap<string, FencedState>>;
  /** Fenced upserts of single-writer aggregates (one bulk write). */
  writeAggregates(kind: AggregateKind, records: readonly AggregateRecord[]): Promise<void>;
  /** Fenced upserts of this partition's parts of shared documents (one bulk write). */
  writeParts(kind: SharedKind, records: readonly PartRecord[]): Promise<void>;
  /** Recompute the public fields of shared documents from all their parts (compare-and-set on the doc revision). */
  mergeShared(kind: SharedKind, ids: readonly string[], merge: MergeParts): Promise<void>;
  /** Fenced upserts of key states (one bulk write), the commit marker of a batch's decisions. */
  writeKeys(records: readonly KeyStateRecord[]): Promise<void>;
}

/** Creates indexes; called once at start. */
export interface StoreAdmin {
  ensureIndexes(): Promise<void>;
}
