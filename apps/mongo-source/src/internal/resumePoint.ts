import type { Db, MongoClient } from "mongodb";
import { Timestamp } from "mongodb";
import type { ResumePoint } from "../OffsetStore.js";

/**
 * A resume point at "now", taken without waiting for a change: every change committed after it is
 * delivered by a change stream started there (startAtOperationTime is inclusive, so at worst the change at
 * exactly that time comes twice; duplicates are absorbed downstream by event_id).
 *
 * - Replica sets, sharded clusters and Atlas answer every command with `operationTime`: use that.
 * - mongo-java-server (the local dev server) has no sessions and no `operationTime`, but its oplog is an
 *   ordinary readable collection `local.oplog.rs`: use the newest entry's `ts`. The devstack launcher
 *   never empties it (it starts with a no-op entry and trimming keeps the newest), so time zero, for an
 *   empty oplog, is only for a bare mongo-java-server whose oplog was never written.
 */
export async function captureResumePoint(client: MongoClient, db: Db): Promise<ResumePoint> {
  const ping = await db.command({ ping: 1 });
  const operationTime: unknown = ping.operationTime;
  if (operationTime instanceof Timestamp) return { kind: "operationTime", operationTime };
  const newest = await newestOplogTime(client);
  return { kind: "operationTime", operationTime: newest ?? new Timestamp({ t: 0, i: 0 }) };
}

/** The `ts` of the newest entry of `local.oplog.rs`, null when it is empty (mongo-java-server only). */
export async function newestOplogTime(client: MongoClient): Promise<Timestamp | null> {
  let newest: { ts: Timestamp } | null;
  try {
    newest = await client
      .db("local")
      .collection<{ ts: Timestamp }>("oplog.rs")
      .find({}, { projection: { ts: 1 } })
      .sort({ ts: -1 })
      .limit(1)
      .next();
  } catch (error) {
    throw new Error(
      `cannot fix a starting point: the server reports no operationTime and local.oplog.rs is not readable ` +
        `(${error instanceof Error ? error.message : String(error)}); change streams need a replica set or sharded cluster`,
    );
  }
  return newest?.ts instanceof Timestamp ? newest.ts : null;
}

/**
 * Whether the server moves an idle change stream's resume token forward itself (post-batch resume token).
 * Servers that answer with `operationTime` do (replica sets, sharded clusters, Atlas); mongo-java-server does not.
 */
export async function advancesIdleStreams(db: Db): Promise<boolean> {
  const ping = await db.command({ ping: 1 });
  return ping.operationTime instanceof Timestamp;
}

export function describeResumePoint(point: ResumePoint): string {
  return point.kind === "token"
    ? `resume token ${JSON.stringify(point.token)}`
    : `operation time ${point.operationTime.high}.${point.operationTime.low}`;
}
