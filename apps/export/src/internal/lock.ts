import { open, readFile, rm } from "node:fs/promises";
import { ExportError } from "../ExportError.js";

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * One export per output directory: a lock file holding the owner's pid. A lock left by a process that no
 * longer runs (killed) is taken over. Returns the release function.
 */
export async function acquireLock(path: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && alive(owner))
        throw new ExportError(`another export (pid ${owner}) is writing to this directory (lock ${path})`);
      await rm(path, { force: true });
    }
  }
  throw new ExportError(`cannot take the lock ${path}`);
}
