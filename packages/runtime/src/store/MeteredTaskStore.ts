import type { RuntimeMetrics } from "../ops/Metrics.js";
import type { TaskStore } from "./TaskStore.js";

/** Wraps a TaskStore with write-duration metrics (like Kafka Streams' MeteredKeyValueStore). */
export function meteredTaskStore(inner: TaskStore, metrics: RuntimeMetrics): TaskStore {
  const timed = <T>(collection: string, run: () => Promise<T>): Promise<T> => {
    const end = metrics.storeWriteDuration.startTimer({ collection });
    return run().finally(() => end());
  };
  return {
    loadKeys: (ids) => inner.loadKeys(ids),
    loadDedup: (ranges) => inner.loadDedup(ranges),
    writeDedup: (slots) =>
      slots.length === 0 ? Promise.resolve() : timed("dedup", () => inner.writeDedup(slots)),
    dropDedup: (drops) =>
      drops.length === 0 ? Promise.resolve() : timed("dedup_drop", () => inner.dropDedup(drops)),
    loadDocs: (collection, ids) => inner.loadDocs(collection, ids),
    loadParts: (collection, partition, ids) => inner.loadParts(collection, partition, ids),
    writeDocs: (kind, records) =>
      records.length === 0 ? Promise.resolve() : timed(kind, () => inner.writeDocs(kind, records)),
    writeParts: (kind, records) =>
      records.length === 0
        ? Promise.resolve()
        : timed(`${kind}_parts`, () => inner.writeParts(kind, records)),
    mergeShared: (kind, ids, merge) =>
      ids.length === 0
        ? Promise.resolve()
        : timed(`${kind}_merge`, () => inner.mergeShared(kind, ids, merge)),
    writeKeys: (records) =>
      records.length === 0 ? Promise.resolve() : timed("keys", () => inner.writeKeys(records)),
  };
}
