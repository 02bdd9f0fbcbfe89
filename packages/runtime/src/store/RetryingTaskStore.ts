import type { Logger } from "../ops/Logger.js";
import type { TaskStore } from "./TaskStore.js";

export interface RetryOptions {
  /** Total attempts per operation (>= 1). */
  readonly attempts: number;
  readonly logger: Logger;
  readonly onRetry?: (operation: string) => void;
  /** First backoff; doubles per attempt up to 5 s. */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries every store operation with exponential backoff. Safe because every write is fenced (idempotent) and every
 * load is a read; after the last attempt the error propagates and the processor fails (a restart resumes).
 */
export function retryingTaskStore(inner: TaskStore, options: RetryOptions): TaskStore {
  const sleep = options.sleep ?? defaultSleep;
  const base = options.baseDelayMs ?? 100;
  const retry = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        if (attempt >= options.attempts) throw error;
        const delay = Math.min(5_000, base * 2 ** (attempt - 1));
        options.logger.warn(
          { err: error, operation, attempt, delayMs: delay },
          "MongoDB operation failed, retrying",
        );
        options.onRetry?.(operation);
        await sleep(delay);
      }
    }
  };
  return {
    loadKeys: (ids) => retry("loadKeys", () => inner.loadKeys(ids)),
    loadDedup: (ranges) => retry("loadDedup", () => inner.loadDedup(ranges)),
    writeDedup: (slots) => retry("dedup", () => inner.writeDedup(slots)),
    dropDedup: (drops) => retry("dedup_drop", () => inner.dropDedup(drops)),
    loadDocs: (kind, ids) => retry(`load_${kind}`, () => inner.loadDocs(kind, ids)),
    loadParts: (kind, partition, ids) =>
      retry(`load_${kind}_parts`, () => inner.loadParts(kind, partition, ids)),
    writeDocs: (kind, records) => retry(kind, () => inner.writeDocs(kind, records)),
    writeParts: (kind, records) => retry(`${kind}_parts`, () => inner.writeParts(kind, records)),
    mergeShared: (kind, ids, merge) => retry(`${kind}_merge`, () => inner.mergeShared(kind, ids, merge)),
    writeKeys: (records) => retry("keys", () => inner.writeKeys(records)),
  };
}
