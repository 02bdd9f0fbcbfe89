import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuSecondsFromStat, serviceOf, type Service } from "../internal/procStat.js";

/**
 * This checkout's devstack directory: `GAMETEL_STACK_DIR` when set (as `pnpm stack:up` resolves it), else
 * packages/devstack's default <repo>/.cache/devstack.
 */
const DEVSTACK_DIR = resolve(
  process.env.GAMETEL_STACK_DIR?.trim() ||
    join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", ".cache", "devstack"),
);

/** This checkout's local devstack service pids (Linux only; empty elsewhere or with external services). */
export function servicePids(): Map<Service, number> {
  const out = new Map<Service, number>();
  if (process.platform !== "linux") return out;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const found = serviceOf(readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " "));
      if (found !== null && found.dir === DEVSTACK_DIR) out.set(found.service, Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** CPU seconds each local service used since the snapshot was taken. */
export function serviceCpuMeter(): () => Partial<Record<Service, number>> {
  const pids = servicePids();
  const read = (pid: number) => {
    try {
      return cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      return null;
    }
  };
  const before = new Map([...pids].map(([s, pid]) => [s, read(pid)] as const));
  return () => {
    const out: Partial<Record<Service, number>> = {};
    for (const [s, pid] of pids) {
      const a = before.get(s);
      const b = read(pid);
      if (a != null && b !== null) out[s] = Math.round((b - a) * 100) / 100;
    }
    return out;
  };
}
