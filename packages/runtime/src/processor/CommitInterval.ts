/**
 * When a task commits (Kafka Streams' `commit.interval.ms` with its record cache bounds): the states of consumed
 * batches fold in memory and are written, then committed, once the oldest uncommitted record waited
 * `intervalMs`, or once the buffered records, their bytes or the cache entries they pin reach their bounds,
 * whichever comes first.
 */
export interface CommitBounds {
  readonly intervalMs: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** Dirty entries are pinned until written: a commit comes before they would outnumber the state cache. */
  readonly maxEntries: number;
}

export const COMMIT_DEFAULTS = {
  /** Dashboards read MongoDB: results stay at most about a second behind (plus one write). */
  intervalMs: 1_000,
  maxRecords: 50_000,
  maxBytes: 32 * 1024 * 1024,
} as const;

/** What is buffered since the last commit. */
export interface Uncommitted {
  /** When the first uncommitted batch was processed (null = nothing buffered). */
  readonly since: number | null;
  readonly records: number;
  readonly bytes: number;
  readonly entries: number;
}

/** Why a commit is due now, or null. */
export function commitDue(bounds: CommitBounds, pending: Uncommitted, now: number): string | null {
  if (pending.since === null) return null;
  if (now - pending.since >= bounds.intervalMs) return "interval";
  if (pending.records >= bounds.maxRecords) return "records";
  if (pending.bytes >= bounds.maxBytes) return "bytes";
  if (pending.entries >= bounds.maxEntries) return "cache";
  return null;
}
