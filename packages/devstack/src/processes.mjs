// Detached service processes, their pid files, and stopping them: SIGTERM, a grace period, then SIGKILL.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * @param {number} pid
 * @returns {boolean} false for a process that is gone or a zombie
 */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code !== "EPERM") return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/**
 * @param {number} pid
 * @returns {string} the process's command line, or "" when it cannot be read
 */
export function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    const ps = spawnSync("ps", ["-p", String(pid), "-o", "command="], { encoding: "utf8" });
    return ps.status === 0 ? ps.stdout.trim() : "";
  }
}

/**
 * The pid in the pid file when that process is alive and carries our marker; a stale pid file is removed.
 * @param {string} pidFile
 * @param {string} marker
 * @returns {number | undefined}
 */
export function runningPid(pidFile, marker) {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && commandLine(pid).includes(marker)) return pid;
  rmSync(pidFile, { force: true });
  return undefined;
}

/**
 * Starts a process that outlives this one, with stdout and stderr appended to the log file.
 * The previous log is kept as `<log>.1`.
 * @param {string} command
 * @param {string[]} args
 * @param {{ logFile: string, pidFile: string, cwd: string, env: NodeJS.ProcessEnv }} options
 * @returns {import("node:child_process").ChildProcess}
 */
export function spawnDetached(command, args, { logFile, pidFile, cwd, env }) {
  if (existsSync(logFile)) renameSync(logFile, `${logFile}.1`);
  const out = openSync(logFile, "a");
  try {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", out, out] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    writeFileSync(pidFile, `${child.pid}\n`);
    child.unref();
    return child;
  } finally {
    closeSync(out);
  }
}

/**
 * Waits until the process is gone.
 * @param {number} pid
 * @param {number} ms
 * @returns {Promise<boolean>} whether it ended within the time
 */
export async function waitForExit(pid, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

/**
 * SIGTERM, wait up to graceMs, then SIGKILL.
 * @param {number} pid
 * @param {number} graceMs
 * @returns {Promise<"stopped" | "killed">}
 */
export async function stopProcess(pid, graceMs) {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return "stopped";
  }
  if (await waitForExit(pid, graceMs)) return "stopped";
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return "stopped";
  }
  await waitForExit(pid, 10_000);
  return "killed";
}
