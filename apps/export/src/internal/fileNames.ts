import { join } from "node:path";

/** An instant as it appears in file names: 2026-12-07T16:54:00.123Z -> 20261207T165400123Z; null -> "start". */
export const rangeTag = (ms: number | null): string =>
  ms === null ? "start" : new Date(ms).toISOString().replace(/[-:.]/g, "");

/** Hive-style partition folder: <table>/game_id=<id>/date=<YYYY-MM-DD>. */
export const partitionDir = (outDir: string, table: string, gameId: string, date: string): string =>
  join(outDir, table, `game_id=${encodeURIComponent(gameId)}`, `date=${date}`);

/** File of one table's rows changed in (from, until]: the same range always gives the same name. */
export const insightFileName = (table: string, from: number | null, until: number): string =>
  `${table}_${rangeTag(from)}_${rangeTag(until)}.parquet`;

/** File of one Kafka partition's records in offsets [from, to). */
export const eventsFileName = (partition: number, from: bigint, to: bigint): string =>
  `events_p${partition}_${from}_${to}.parquet`;
