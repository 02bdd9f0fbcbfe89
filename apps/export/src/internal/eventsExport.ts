import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { EventsSource, OffsetRange } from "../EventsSource.js";
import { EVENTS_TABLE, eventRow } from "../EventsTable.js";
import type { PendingExport } from "../ExportState.js";
import { PARTITION_DATE, PARTITION_GAME, type ParquetWriter } from "./duckdb.js";
import { eventsFileName, partitionDir } from "./fileNames.js";
import { removeStale } from "./outputTree.js";
import { NdjsonWriter } from "./staging.js";

export interface EventsExportOptions {
  readonly source: EventsSource;
  readonly range: NonNullable<PendingExport["events"]>;
  readonly outDir: string;
  readonly stagingDir: string;
  readonly writer: ParquetWriter;
  /** Throws when the export was asked to stop. */
  readonly checkAborted: () => void;
  readonly onRow: () => void;
  readonly onFile: (path: string) => void;
}

export interface EventsExportResult {
  readonly rows: number;
  readonly files: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Raw events of the planned offset ranges: staged per Kafka partition, then one file per Kafka partition, game
 * and date, named by the partition's offset range.
 */
export async function exportEvents(options: EventsExportOptions): Promise<EventsExportResult> {
  const { range, stagingDir, writer } = options;
  const ranges = new Map<number, OffsetRange>();
  for (const [p, from] of Object.entries(range.from))
    ranges.set(Number(p), { from: BigInt(from), to: BigInt(range.to[p] ?? from) });
  const stagingFile = (p: number) => join(stagingDir, `events-p${p}.ndjson`);
  const staging = new Map<number, NdjsonWriter>();
  for (const [p, r] of ranges) if (r.to > r.from) staging.set(p, new NdjsonWriter(stagingFile(p)));
  let rows = 0;
  try {
    await options.source.read(range.topic, ranges, async (record) => {
      const { row, gameId, date } = eventRow(record);
      await staging
        .get(record.partition)
        ?.write({ ...row, [PARTITION_GAME]: gameId, [PARTITION_DATE]: date });
      rows += 1;
      options.onRow();
    });
  } finally {
    for (const w of staging.values()) await w.close();
  }
  const files: string[] = [];
  const removed: string[] = [];
  for (const [p, r] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (r.to <= r.from) continue;
    const name = `events_p${p}`;
    const fileName = eventsFileName(p, r.from, r.to);
    const written = new Set<string>();
    for (const part of await writer.load(name, EVENTS_TABLE.columns, stagingFile(p))) {
      options.checkAborted();
      const dir = partitionDir(options.outDir, EVENTS_TABLE.name, part.gameId, part.date);
      await mkdir(dir, { recursive: true });
      const path = join(dir, fileName);
      await writer.writePartition(name, EVENTS_TABLE.columns, part, ["kafka_offset"], path);
      files.push(path);
      written.add(path);
      options.onFile(path);
    }
    await writer.drop(name);
    removed.push(...(await removeStale(join(options.outDir, EVENTS_TABLE.name), fileName, written)));
  }
  return { rows, files, removed };
}
