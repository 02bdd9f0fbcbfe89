import { join, resolve } from "node:path";
import { ExportError } from "./ExportError.js";
import { INSIGHT_TABLES, type InsightTableName } from "./Tables.js";

export interface ExportConfig {
  /** Root of the Parquet tree (<table>/game_id=<g>/date=<d>/...). */
  readonly outDir: string;
  /** JSON file with the watermarks and the plan of an unfinished run. */
  readonly stateFile: string;
  readonly tables: readonly InsightTableName[];
  /** Collection of each table, when not the runtime's default name. */
  readonly collections: Readonly<Partial<Record<InsightTableName, string>>>;
  /** Fixed upper bound of `updated_at` (epoch ms); null = the start of the run minus `settleMs`. */
  readonly until: number | null;
  /** How far behind the clock the upper bound stays, so writes in flight when the run starts are not missed. */
  readonly settleMs: number;
  /** Topic whose records are exported as raw events (offset range since the last run); null = none. */
  readonly eventsTopic: string | null;
}

export const EXPORT_DEFAULTS = {
  settleMs: 10_000,
  stateFileName: "_gametel_export_state.json",
} as const;

export interface ExportConfigInput {
  readonly outDir?: string;
  readonly stateFile?: string;
  readonly tables?: readonly string[];
  readonly collections?: Readonly<Partial<Record<InsightTableName, string>>>;
  readonly until?: number | null;
  readonly settleMs?: number;
  readonly eventsTopic?: string | null;
}

/** Fills in defaults and refuses a bad setting with one line (an ExportError), before anything connects. */
export function resolveExportConfig(input: ExportConfigInput): ExportConfig {
  if (input.outDir === undefined || input.outDir.trim() === "")
    throw new ExportError("--out is required: the directory of the Parquet files");
  const outDir = resolve(input.outDir);
  const names = INSIGHT_TABLES.map((t) => t.name);
  const tables = input.tables ?? names;
  for (const t of tables)
    if (!names.includes(t as InsightTableName))
      throw new ExportError(`unknown table "${t}": expected some of ${names.join(", ")}`);
  const settleMs = input.settleMs ?? EXPORT_DEFAULTS.settleMs;
  if (!Number.isSafeInteger(settleMs) || settleMs < 0)
    throw new ExportError("--settle-ms must be an integer >= 0");
  const until = input.until ?? null;
  if (until !== null && (!Number.isSafeInteger(until) || until < 0))
    throw new ExportError("--until must be an ISO-8601 time or epoch milliseconds");
  return {
    outDir,
    stateFile: resolve(input.stateFile ?? join(outDir, EXPORT_DEFAULTS.stateFileName)),
    tables: [...new Set(tables)] as InsightTableName[],
    collections: input.collections ?? {},
    until,
    settleMs,
    eventsTopic: input.eventsTopic ?? null,
  };
}
