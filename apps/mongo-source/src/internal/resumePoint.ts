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
 *   ordinary readable collection `local.oplog.rs`: use the newest entry's `ts`. Its oplog is never
 *   truncated, and an empty oplog means nothing was ever written, so time zero loses nothing there.
 */
export async function captureResumePoint(client: MongoClient, db: Db): Promise<ResumePoint> {
  const ping = await db.command({ ping: 1 });
  const operationTime: unknown = ping.operationTime;
  if (operationTime instanceof Timestamp) return { kind: "operationTime", operationTime };
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
  if (newest?.ts instanceof Timestamp) return { kind: "operationTime", operationTime: newest.ts };
  return { kind: "operationTime", operationTime: new Timestamp({ t: 0, i: 0 }) };
}

export function describeResumePoint(point: ResumePoint): string {
  return point.kind === "token"
    ? `resume token ${JSON.stringify(point.token)}`
    : `operation time ${point.operationTime.high}.${point.operationTime.low}`;
}
