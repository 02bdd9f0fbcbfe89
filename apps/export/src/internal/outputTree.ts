import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * Removes, under `root`, the files named `fileName` that are not in `keep`, and every temporary file a
 * killed writer left (`.<name>.tmp`): what a crashed attempt of the same range wrote for partitions that no
 * longer have rows. Returns the removed paths.
 */
export async function removeStale(
  root: string,
  fileName: string,
  keep: ReadonlySet<string>,
): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const path = join(root, entry);
    const base = entry.slice(entry.lastIndexOf("/") + 1);
    const stale = (base === fileName && !keep.has(path)) || (base.startsWith(".") && base.endsWith(".tmp"));
    if (!stale) continue;
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}
