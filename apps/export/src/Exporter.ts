import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Db, Document, Filter } from "mongodb";
import type { ExportConfig } from "./ExportConfig.js";
import { ExportError } from "./ExportError.js";
import { loadState, saveState, type ExportState, type PendingExport } from "./ExportState.js";
import type { EventsSource } from "./EventsSource.js";
import { PARTITION_DATE, PARTITION_GAME, ParquetWriter } from "./internal/duckdb.js";
import { exportEvents } from "./internal/eventsExport.js";
import { insightFileName, partitionDir } from "./internal/fileNames.js";
import { acquireLock } from "./internal/lock.js";
import { removeStale } from "./internal/outputTree.js";
import { partitionOf, toStagedRow } from "./internal/rows.js";
import { NdjsonWriter } from "./internal/staging.js";
import { INSIGHT_TABLES, type InsightTable } from "./Tables.js";

export interface ExportProgress {
  readonly phase: "plan" | "stage" | "write" | "done";
  /** Table (or "events") being worked on. */
  readonly table: string;
  /** Rows staged so far, over all tables, and the rows this run exports (known after planning). */
  readonly rows: number;
  readonly totalRows: number;
  /** Files written so far. */
  readonly files: number;
  /** The file just written (phase "write"). */
  readonly file?: string;
}

export interface TableSummary {
  readonly rows: number;
  readonly files: readonly string[];
  /** Lower bound (exclusive) of `updated_at`, or of the offsets for events; null = from the beginning. */
  readonly from: string | null;
  readonly until: string;
}

export interface ExportSummary {
  /** True when this run finished the plan of an interrupted one. */
  readonly resumed: boolean;
  readonly until: string;
  readonly tables: Readonly<Record<string, TableSummary>>;
  readonly files: number;
  readonly rows: number;
  /** Files of a crashed attempt of the same range that this run removed. */
  readonly removedStale: readonly string[];
  readonly durationMs: number;
}

export interface ExporterDeps {
  /** The database of the insight collections; only read. */
  readonly db: Db;
  readonly config: ExportConfig;
  /** Needed when `config.eventsTopic` is set. */
  readonly events?: EventsSource | null;
  readonly now?: () => number;
  readonly onProgress?: (progress: ExportProgress) => void;
  /** Stops between files; the plan stays pending and the next run finishes it. */
  readonly signal?: AbortSignal;
}

export interface Exporter {
  run(): Promise<ExportSummary>;
}

const LOCK_FILE = "_gametel_export.lock";
const STAGING_DIR = "_staging";
const PRIVATE_FIELDS = { _state: 0, _parts: 0 } as const;

export class ExportAbortedError extends ExportError {}

/**
 * The export: plans a range (or resumes the pending one), stages each table's changed documents as NDJSON,
 * writes one Parquet file per game and date with DuckDB, and only then advances the watermarks. Every file
 * of a range has a name derived from the range, is written to a temporary name and renamed, so a rerun after a
 * crash rewrites the same files and leaves no partial one.
 */
export function createExporter(deps: ExporterDeps): Exporter {
  const { db, config } = deps;
  const now = deps.now ?? Date.now;
  const tables = config.tables.map((name) => {
    const table = INSIGHT_TABLES.find((t) => t.name === name) as InsightTable;
    return { ...table, collection: config.collections[name] ?? table.collection };
  });
  if (config.eventsTopic !== null && (deps.events === undefined || deps.events === null))
    throw new ExportError("an events source is needed to export --events-topic");

  const checkAborted = () => {
    if (deps.signal?.aborted === true)
      throw new ExportAbortedError("stopped by a signal; the next run finishes this export");
  };

  async function plan(state: ExportState): Promise<{ pending: PendingExport; resumed: boolean }> {
    if (state.pending !== null) {
      if (config.until !== null && config.until !== state.pending.until)
        throw new ExportError(
          `an interrupted export up to ${new Date(state.pending.until).toISOString()} must finish first: ` +
            "rerun without --until or with that time",
        );
      const planned = Object.keys(state.pending.tables).sort().join(",");
      if (
        planned !==
        tables
          .map((t) => t.name)
          .sort()
          .join(",")
      )
        throw new ExportError(
          `an interrupted export of ${planned} must finish first: rerun with --tables ${planned}`,
        );
      const topic = state.pending.events?.topic ?? null;
      if (topic !== config.eventsTopic)
        throw new ExportError(
          topic === null
            ? "an interrupted export without events must finish first: rerun without --events-topic"
            : `an interrupted export with events of ${topic} must finish first: rerun with --events-topic ${topic}`,
        );
      return { pending: state.pending, resumed: true };
    }
    const until = config.until ?? now() - config.settleMs;
    const planned: Record<string, number | null> = {};
    for (const t of tables) {
      const from = state.watermarks[t.name] ?? null;
      if (from !== null && from >= until)
        throw new ExportError(
          `${t.name} was already exported up to ${new Date(from).toISOString()}, not before --until`,
        );
      planned[t.name] = from;
    }
    let events: PendingExport["events"] = null;
    if (config.eventsTopic !== null) {
      const topic = config.eventsTopic;
      const saved = state.events?.topic === topic ? state.events.next : {};
      const from: Record<string, string> = {};
      const to: Record<string, string> = {};
      for (const p of await (deps.events as EventsSource).offsets(topic)) {
        const next = saved[String(p.partition)];
        const start = next === undefined ? p.low : BigInt(next) < p.low ? p.low : BigInt(next);
        from[String(p.partition)] = start.toString();
        to[String(p.partition)] = (p.high > start ? p.high : start).toString();
      }
      events = { topic, from, to };
    }
    return { pending: { until, tables: planned, events }, resumed: false };
  }

  async function countRows(pending: PendingExport): Promise<number> {
    let total = 0;
    for (const t of tables)
      total += await db.collection(t.collection).countDocuments(rangeFilter(pending, t));
    if (pending.events !== null)
      for (const [p, from] of Object.entries(pending.events.from))
        total += Number(BigInt(pending.events.to[p] ?? from) - BigInt(from));
    return total;
  }

  return {
    async run() {
      const started = now();
      await mkdir(config.outDir, { recursive: true });
      const release = await acquireLock(join(config.outDir, LOCK_FILE));
      const writer = await ParquetWriter.create();
      const stagingDir = join(config.outDir, STAGING_DIR);
      try {
        const state = await loadState(config.stateFile);
        const { pending, resumed } = await plan(state);
        if (!resumed) await saveState(config.stateFile, { ...state, pending });
        const totalRows = await countRows(pending);
        await mkdir(stagingDir, { recursive: true });

        let rows = 0;
        let fileCount = 0;
        const summaries: Record<string, TableSummary> = {};
        const removedStale: string[] = [];
        const progress = (phase: ExportProgress["phase"], table: string, file?: string) =>
          deps.onProgress?.({
            phase,
            table,
            rows,
            totalRows,
            files: fileCount,
            ...(file === undefined ? {} : { file }),
          });
        progress("plan", "");

        for (const table of tables) {
          checkAborted();
          const from = pending.tables[table.name] ?? null;
          const staged = join(stagingDir, `${table.name}.ndjson`);
          const out = new NdjsonWriter(staged);
          let tableRows = 0;
          try {
            const cursor = db
              .collection(table.collection)
              .find(rangeFilter(pending, table), { projection: PRIVATE_FIELDS });
            for await (const doc of cursor) {
              const p = partitionOf(table, doc);
              await out.write({
                ...toStagedRow(table, doc),
                [PARTITION_GAME]: p.gameId,
                [PARTITION_DATE]: p.date,
              });
              tableRows += 1;
              rows += 1;
              if (rows % 500 === 0) progress("stage", table.name);
            }
          } finally {
            await out.close();
          }
          const fileName = insightFileName(table.name, from, pending.until);
          const files: string[] = [];
          for (const p of await writer.load(table.name, table.columns, staged)) {
            checkAborted();
            const dir = partitionDir(config.outDir, table.name, p.gameId, p.date);
            await mkdir(dir, { recursive: true });
            const path = join(dir, fileName);
            await writer.writePartition(table.name, table.columns, p, ["_id"], path);
            files.push(path);
            fileCount += 1;
            progress("write", table.name, path);
          }
          await writer.drop(table.name);
          removedStale.push(
            ...(await removeStale(join(config.outDir, table.name), fileName, new Set(files))),
          );
          summaries[table.name] = {
            rows: tableRows,
            files,
            from: from === null ? null : new Date(from).toISOString(),
            until: new Date(pending.until).toISOString(),
          };
        }

        if (pending.events !== null) {
          const result = await exportEvents({
            source: deps.events as EventsSource,
            range: pending.events,
            outDir: config.outDir,
            stagingDir,
            writer,
            checkAborted,
            onRow: () => {
              rows += 1;
              if (rows % 500 === 0) progress("stage", "events");
            },
            onFile: (file) => {
              fileCount += 1;
              progress("write", "events", file);
            },
          });
          removedStale.push(...result.removed);
          const offsets = (side: Readonly<Record<string, string>>) =>
            Object.entries(side)
              .map(([p, o]) => `${p}:${o}`)
              .join(",");
          summaries.events = {
            rows: result.rows,
            files: result.files,
            from: offsets(pending.events.from),
            until: offsets(pending.events.to),
          };
        }

        checkAborted();
        const watermarks = { ...state.watermarks };
        for (const t of tables) watermarks[t.name] = pending.until;
        const events =
          pending.events === null ? state.events : { topic: pending.events.topic, next: pending.events.to };
        await saveState(config.stateFile, { version: 1, watermarks, events, pending: null });
        progress("done", "");
        return {
          resumed,
          until: new Date(pending.until).toISOString(),
          tables: summaries,
          files: fileCount,
          rows,
          removedStale,
          durationMs: now() - started,
        };
      } finally {
        writer.close();
        await rm(stagingDir, { recursive: true, force: true });
        await release();
      }
    },
  };
}

function rangeFilter(pending: PendingExport, table: InsightTable): Filter<Document> {
  const from = pending.tables[table.name] ?? null;
  const until = new Date(pending.until);
  return { updated_at: from === null ? { $lte: until } : { $gt: new Date(from), $lte: until } };
}
