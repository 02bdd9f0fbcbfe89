import { open, readFile, rename } from "node:fs/promises";
import { ExportError } from "./ExportError.js";

/**
 * What the exporter remembers between runs, in one JSON file written atomically (temporary file, fsync,
 * rename). `watermarks` say up to which `updated_at` each table was exported; `events` the next offset of
 * each partition of the events topic. `pending` is the plan of a run that has not finished: a rerun after a
 * crash finishes that same plan, so it writes the same files.
 */
export interface ExportState {
  readonly version: 1;
  /** Table name -> `updated_at` (epoch ms) up to which it was exported. */
  readonly watermarks: Readonly<Record<string, number>>;
  readonly events: { readonly topic: string; readonly next: Readonly<Record<string, string>> } | null;
  readonly pending: PendingExport | null;
}

export interface PendingExport {
  /** Upper bound (inclusive) of `updated_at` of this run. */
  readonly until: number;
  /** Table name -> lower bound (exclusive), null = from the beginning. */
  readonly tables: Readonly<Record<string, number | null>>;
  /** Offsets [from, to) of each partition, as decimal strings. */
  readonly events: {
    readonly topic: string;
    readonly from: Readonly<Record<string, string>>;
    readonly to: Readonly<Record<string, string>>;
  } | null;
}

export const EMPTY_STATE: ExportState = { version: 1, watermarks: {}, events: null, pending: null };

export async function loadState(path: string): Promise<ExportState> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return EMPTY_STATE;
    throw error;
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    throw new ExportError(`state file ${path} is not JSON; move it away to export everything again`);
  }
  const s = state as Partial<ExportState> | null;
  if (s?.version !== 1 || typeof s.watermarks !== "object" || s.watermarks === null)
    throw new ExportError(`state file ${path} is not a gametel export state (version 1)`);
  return { version: 1, watermarks: s.watermarks, events: s.events ?? null, pending: s.pending ?? null };
}

export async function saveState(path: string, state: ExportState): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, "w");
  try {
    await handle.writeFile(JSON.stringify(state, null, 2) + "\n");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}
