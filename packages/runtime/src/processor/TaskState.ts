import type { Window } from "./StreamModel.js";

/** A fenced state in the cache: `offset` is the last input offset applied (-1 when never written). */
export interface FencedEntry<S> {
  offset: bigint;
  state: S;
  dirty: boolean;
}

export interface WindowEntry<W> extends FencedEntry<W> {
  readonly window: Window;
}

/** Everything cached for one input key of one partition. */
export interface KeyEntry<D, P, W> {
  readonly kind: "key";
  readonly partition: number;
  readonly key: string;
  /** Partition recorded in MongoDB for this key (differs from `partition` only if producers disagree). */
  storedPartition: number;
  offset: bigint;
  dedup: D;
  streamTime: number | null;
  events: number;
  duplicates: number;
  late: number;
  dirty: boolean;
  /** All-time player state, when the key is a player key (loaded lazily on the first player event). */
  player: (FencedEntry<P> & { identity: Readonly<Record<string, unknown>> }) | undefined;
  /** Open windows by start (closed ones are dropped: nothing but late events would touch them). */
  readonly windows: Map<number, WindowEntry<W>>;
}

/** This partition's part of a shared aggregate (match or server window). */
export interface PartEntry<S> extends FencedEntry<S> {
  readonly kind: "match" | "server";
  readonly partition: number;
  readonly id: string;
  identity: Readonly<Record<string, unknown>>;
}

export const NEVER_WRITTEN = -1n;
