import { changedFields } from "./fieldDelta.js";
import type {
  AggregateRecord,
  DedupDrop,
  DedupRange,
  DedupSlots,
  FencedState,
  KeyStateRecord,
  LoadedKeyState,
  LoadedPart,
  MergeParts,
  PartRecord,
  TaskStore,
} from "./TaskStore.js";

export interface SharedDoc {
  identity: Record<string, unknown>;
  parts: Map<number, FencedState>;
  rev: number;
  mergedRev: number | undefined;
  fields: Readonly<Record<string, unknown>>;
}

/**
 * A TaskStore in memory with the same fence semantics as the MongoDB one (forward-only writes per document, parts
 * fenced per partition, compare-and-set merges). For unit tests of the processing protocol; not a MongoDB mock.
 */
export class InMemoryTaskStore implements TaskStore {
  readonly keys = new Map<string, LoadedKeyState>();
  /** Dedup slots by key, then slot number. */
  readonly dedup = new Map<string, Map<number, readonly [string, number]>>();
  /** Single-writer documents by collection, then id. */
  readonly docs = new Map<string, Map<string, AggregateRecord>>();
  /** Shared documents by collection, then id. */
  readonly sharedDocs = new Map<string, Map<string, SharedDoc>>();

  /** The single-writer documents of a collection. */
  collection(name: string): Map<string, AggregateRecord> {
    let docs = this.docs.get(name);
    if (docs === undefined) {
      docs = new Map();
      this.docs.set(name, docs);
    }
    return docs;
  }

  /** The shared documents of a collection. */
  shared(name: string): Map<string, SharedDoc> {
    let docs = this.sharedDocs.get(name);
    if (docs === undefined) {
      docs = new Map();
      this.sharedDocs.set(name, docs);
    }
    return docs;
  }

  loadKeys(ids: readonly string[]): Promise<ReadonlyMap<string, LoadedKeyState>> {
    return Promise.resolve(pick(this.keys, ids, (r) => r));
  }

  loadDedup(ranges: readonly DedupRange[]): Promise<ReadonlyMap<string, [string, number][]>> {
    const result = new Map<string, [string, number][]>();
    for (const { key, from, to } of ranges) {
      const ids: [string, number][] = [];
      for (let slot = from; slot < to; slot++) {
        const entry = this.dedup.get(key)?.get(slot);
        if (entry === undefined)
          return Promise.reject(new Error(`dedup memory of key ${JSON.stringify(key)} lacks slot ${slot}`));
        ids.push([entry[0], entry[1]]);
      }
      result.set(key, ids);
    }
    return Promise.resolve(result);
  }

  writeDedup(slots: readonly DedupSlots[]): Promise<void> {
    for (const { key, from, ids } of slots) {
      let stored = this.dedup.get(key);
      if (stored === undefined) this.dedup.set(key, (stored = new Map()));
      ids.forEach((id, i) => stored.set(from + i, id));
    }
    return Promise.resolve();
  }

  dropDedup(drops: readonly DedupDrop[]): Promise<void> {
    for (const { key, below } of drops) {
      const stored = this.dedup.get(key);
      for (const slot of stored?.keys() ?? []) if (slot < below) stored?.delete(slot);
    }
    return Promise.resolve();
  }

  loadDocs(kind: string, ids: readonly string[]): Promise<ReadonlyMap<string, FencedState>> {
    return Promise.resolve(pick(this.collection(kind), ids, (r) => ({ offset: r.offset, state: r.state })));
  }

  loadParts(
    kind: string,
    partition: number,
    ids: readonly string[],
  ): Promise<ReadonlyMap<string, FencedState>> {
    const result = new Map<string, FencedState>();
    for (const id of ids) {
      const part = this.shared(kind).get(id)?.parts.get(partition);
      if (part !== undefined) result.set(id, part);
    }
    return Promise.resolve(result);
  }

  writeDocs(kind: string, records: readonly AggregateRecord[]): Promise<ReadonlySet<string>> {
    const target = this.collection(kind);
    const applied = new Set<string>();
    for (const r of records) {
      const current = target.get(r.id);
      const changed = r.written === undefined ? null : changedFields(r.fields, r.written.fields);
      if (changed !== null && current !== undefined) {
        // A field delta, as MongoTaskStore sends it: only the changed fields land, and only on the document as the
        // task left it; one already at this record's fence is this write's own earlier attempt.
        if (current.offset === r.written!.offset) {
          target.set(r.id, { ...r, fields: { ...current.fields, ...changed } });
          applied.add(r.id);
          continue;
        }
        if (current.offset === r.offset) {
          applied.add(r.id);
          continue;
        }
      }
      if (current === undefined || current.offset < r.offset) {
        target.set(r.id, r);
        applied.add(r.id);
      }
    }
    return Promise.resolve(applied);
  }

  writeParts(kind: string, records: readonly PartRecord[]): Promise<void> {
    const target = this.shared(kind);
    for (const r of records) {
      let doc = target.get(r.id);
      if (doc === undefined) {
        doc = { identity: {}, parts: new Map(), rev: 0, mergedRev: undefined, fields: {} };
        target.set(r.id, doc);
      }
      const current = doc.parts.get(r.partition);
      if (current !== undefined && current.offset >= r.offset) continue;
      doc.parts.set(r.partition, { offset: r.offset, state: r.state });
      doc.identity = { ...doc.identity, ...r.identity };
      doc.rev += 1;
    }
    return Promise.resolve();
  }

  mergeShared(kind: string, ids: readonly string[], merge: MergeParts): Promise<void> {
    for (const id of ids) {
      const doc = this.shared(kind).get(id);
      if (doc === undefined || doc.mergedRev === doc.rev) continue;
      const parts: LoadedPart[] = [...doc.parts.entries()]
        .sort(([a], [b]) => a - b)
        .map(([partition, p]) => ({ partition, offset: p.offset, state: p.state }));
      doc.fields = merge(id, parts);
      doc.mergedRev = doc.rev;
    }
    return Promise.resolve();
  }

  writeKeys(records: readonly KeyStateRecord[]): Promise<void> {
    for (const r of records) {
      const current = this.keys.get(r.key);
      if (current === undefined || current.offset < r.offset) this.keys.set(r.key, r);
    }
    return Promise.resolve();
  }
}

function pick<V, R>(
  source: ReadonlyMap<string, V>,
  ids: readonly string[],
  map: (v: V) => R,
): Map<string, R> {
  const result = new Map<string, R>();
  for (const id of ids) {
    const v = source.get(id);
    if (v !== undefined) result.set(id, map(v));
  }
  return result;
}
