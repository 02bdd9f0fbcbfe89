import { Long, MongoBulkWriteError } from "mongodb";
import type { AnyBulkWriteOperation, Collection, Document, Filter, UpdateFilter } from "mongodb";

/** Every runtime document is keyed by a string `_id` (a partition key, or a key plus a window start). */
export interface StoredDocument extends Document {
  _id: string;
}

/** One idempotent, forward-only update: applied only while the fence field is below `offset` (or absent). */
export interface FencedUpdate {
  readonly id: string;
  /** Path of the fence field, e.g. `_offset` or `_parts.p3.o`. */
  readonly fence: string;
  readonly offset: bigint;
  readonly update: UpdateFilter<StoredDocument>;
}

export const DUPLICATE_KEY = 11000;

export function toLong(value: bigint): Long {
  return Long.fromBigInt(value);
}

/** Reads an int64 fence back (Long, number or bigint, whatever the driver's promotion settings give). */
export function fromLong(value: unknown): bigint {
  if (value === undefined || value === null) return -1n;
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return BigInt(value);
  if (Long.isLong(value)) return value.toBigInt();
  throw new TypeError(`unexpected fence value ${String(value)}`);
}

function fenceFilter(op: FencedUpdate): Filter<StoredDocument> {
  return {
    _id: op.id,
    $or: [{ [op.fence]: { $lt: toLong(op.offset) } }, { [op.fence]: { $exists: false } }],
  };
}

/**
 * One unordered bulk write of fenced upserts. A fenced upsert whose filter misses an existing document tries an insert
 * and fails with E11000: that means "already applied", or, for documents shared by several writers, that another
 * writer inserted it first. Those operations are retried once as plain fenced updates (no upsert), which is
 * definitive because documents are never deleted. Resolves to the ids of those operations (whether their retry
 * applied is unknown); every other operation applied.
 */
export async function bulkFencedUpsert(
  collection: Collection<StoredDocument>,
  ops: readonly FencedUpdate[],
): Promise<ReadonlySet<string>> {
  if (ops.length === 0) return new Set();
  const models = (
    upsert: boolean,
    selected: readonly FencedUpdate[],
  ): AnyBulkWriteOperation<StoredDocument>[] =>
    selected.map((op) => ({ updateOne: { filter: fenceFilter(op), update: op.update, upsert } }));
  let conflicts: FencedUpdate[] = [];
  try {
    await collection.bulkWrite(models(true, ops), { ordered: false });
  } catch (error) {
    conflicts = duplicateKeyOps(error, ops);
  }
  if (conflicts.length > 0) await collection.bulkWrite(models(false, conflicts), { ordered: false });
  return new Set(conflicts.map((op) => op.id));
}

/** The operations that failed only with E11000; rethrows anything else. */
function duplicateKeyOps(error: unknown, ops: readonly FencedUpdate[]): FencedUpdate[] {
  if (!(error instanceof MongoBulkWriteError) || error.err !== undefined) throw error;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== DUPLICATE_KEY)) throw error;
  return writeErrors.map((w) => {
    const op = ops[w.index];
    if (op === undefined) throw error;
    return op;
  });
}
