import type { Db, Document } from "mongodb";
import type { CollectionNames } from "../store/Collections.js";
import { DEFAULT_COLLECTIONS } from "../store/Collections.js";
import type { EventCounts, ResultDoc, Results } from "./Results.js";

/** Public fields only: private ones start with "_", `updated_at` changes on every write; dates become epoch ms. */
function comparable(doc: Document): ResultDoc {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(doc)) {
    if (name.startsWith("_") || name === "updated_at") continue;
    out[name] = value instanceof Date ? value.getTime() : value;
  }
  return out;
}

async function byId(db: Db, name: string, map: (doc: Document) => ResultDoc, filter: Document = {}) {
  const out = new Map<string, ResultDoc>();
  for await (const doc of db.collection(name).find(filter)) out.set(String(doc._id), map(doc));
  return out;
}

/**
 * What the processor wrote, in the shape of `recomputeExpected`: player_stats, player_stats_5m (without
 * context-only windows, `first_seen: null`), match_stats (merged public fields) and server_perf_5m counts.
 */
export async function readResults(db: Db, collections: Partial<CollectionNames> = {}): Promise<Results> {
  const names = { ...DEFAULT_COLLECTIONS, ...collections };
  const [players, windows, matches, servers] = await Promise.all([
    byId(db, names.playerStats, comparable),
    byId(db, names.playerWindows, comparable, { first_seen: { $ne: null } }),
    byId(db, names.matchStats, comparable),
    byId(db, names.serverPerf, comparable),
  ]);
  return { players, windows, matches, servers };
}

/** Sums of the exact per-key counters in `key_state` (valid = distinct events applied). */
export async function readCounts(db: Db, collections: Partial<CollectionNames> = {}): Promise<EventCounts> {
  const names = { ...DEFAULT_COLLECTIONS, ...collections };
  let valid = 0;
  let duplicates = 0;
  let late = 0;
  for await (const doc of db
    .collection(names.keyState)
    .find({}, { projection: { events: 1, duplicates: 1, late: 1 } })) {
    valid += Number(doc.events ?? 0);
    duplicates += Number(doc.duplicates ?? 0);
    late += Number(doc.late ?? 0);
  }
  return { valid, duplicates, late };
}
