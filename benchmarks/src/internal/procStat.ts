/** The devstack services a run shares the machine with, recognised by their `-Dgametel.devstack=` marker. */
export type Service = "kafka" | "mongo";

/**
 * The service a process command line belongs to, if any, and the devstack directory it runs from (several
 * checkouts may each run a stack on one machine, e.g. a CI clone next to the working tree).
 */
export function serviceOf(cmdline: string): { service: Service; dir: string } | null {
  const m = /-Dgametel\.devstack=(kafka|mongo)@(\S+)/.exec(cmdline);
  return m === null ? null : { service: m[1] as Service, dir: m[2]! };
}

/**
 * User + system CPU seconds from the text of /proc/<pid>/stat (fields 14 and 15, in clock ticks). The command
 * name (field 2) is in parentheses and may contain spaces, so fields are counted after the last ")".
 */
export function cpuSecondsFromStat(stat: string, ticksPerSecond = 100): number {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state); utime is field 14, stime field 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error("not a /proc/<pid>/stat line");
  return (utime + stime) / ticksPerSecond;
}
