import type { Window } from "./StreamModel.js";
import type { WrittenFields } from "../store/fieldDelta.js";

/** Everything cached for one input key of one partition: its dedup state, stream time and exact counters. */
export interface KeyEntry<D> {
  readonly kind: "key";
  readonly partition: number;
  readonly key: string;
  /** Partition recorded in MongoDB for this key (differs from `partition` only if producers disagree). */
  storedPartition: number;
  /** The last input offset applied to the key (-1 when never written). */
  offset: bigint;
  dedup: D;
  /** Ids admitted since the last commit, `[event id, event_time]`: the dedup slots the next commit writes. */
  added: [string, number][];
  /** The dedup memory's first slot as last written (slots below it were dropped). */
  dedupFrom: number;
  streamTime: number | null;
  events: number;
  duplicates: number;
  late: number;
  dirty: boolean;
}

/**
 * One document of an aggregation as this task holds it: a keyed aggregation's document, or this partition's part of
 * a merged one. `offset` is the last input offset applied to it (-1 when never written).
 */
export interface DocEntry<S> {
  readonly kind: "doc";
  readonly partition: number;
  /** The aggregation's name. */
  readonly aggregation: string;
  readonly id: string;
  /** The record key that owns it (keyed aggregations), for closing its windows. */
  readonly key: string | null;
  /** Its window, when the aggregation is windowed. */
  readonly window: Window | null;
  identity: Readonly<Record<string, unknown>>;
  offset: bigint;
  state: S;
  dirty: boolean;
  /** What this task last wrote to the document, when the store confirmed it holds exactly that (field deltas). */
  written?: WrittenFields | undefined;
}

export const NEVER_WRITTEN = -1n;
