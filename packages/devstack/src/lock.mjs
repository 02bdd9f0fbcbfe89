// A lock file so that two `up`/`down` calls on one state dir (or two downloads) never race.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { StackError } from "./errors.mjs";
import { isAlive } from "./processes.mjs";

/**
 * Runs fn while holding the lock file; a lock left by a dead process is taken over.
 * @template T
 * @param {string} file
 * @param {() => Promise<T>} fn
 * @param {number} [waitMs]
 * @returns {Promise<T>}
 */
export async function withLock(file, fn, waitMs = 300_000) {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + waitMs;
  // Written first, then hard-linked into place: the lock file never exists without its pid.
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  for (;;) {
    try {
      linkSync(mine, file);
      rmSync(mine, { force: true });
      break;
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== "EEXIST") throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(file, "utf8").trim());
      } catch {
        continue; // removed between open and read
      }
      if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        rmSync(mine, { force: true });
        throw new StackError(
          `another gametel-stack (pid ${holder}) holds ${file}; wait for it to finish, or remove the file if that process is not gametel-stack.`,
        );
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}
