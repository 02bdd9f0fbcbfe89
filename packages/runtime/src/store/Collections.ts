import type { ArenaCollections } from "../processor/ArenaModel.js";
import { ARENA_COLLECTIONS } from "../processor/ArenaModel.js";

/** Arena's collections and the runtime's own `key_state`. */
export interface CollectionNames extends ArenaCollections {
  /** Internal: per input key dedup state, stream time and exact counters (the batch commit marker). */
  readonly keyState: string;
}

export const DEFAULT_COLLECTIONS: CollectionNames = { ...ARENA_COLLECTIONS, keyState: "key_state" };
