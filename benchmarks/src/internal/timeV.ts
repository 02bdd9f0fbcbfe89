/** What GNU `/usr/bin/time -v` reports about a finished child process. */
export interface ProcessUsage {
  readonly userSeconds: number;
  readonly systemSeconds: number;
  /** Peak resident set size in bytes. */
  readonly maxRssBytes: number;
  readonly wallSeconds: number;
  /** Exit status, or null when the command was terminated by a signal. */
  readonly exitStatus: number | null;
  readonly signal: number | null;
}

/** "1:02:03.5" / "2:03.50" / "0:00.10" → seconds. */
export function parseClock(text: string): number {
  const parts = text.trim().split(":").map(Number);
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !Number.isFinite(p)))
    throw new Error(`not a clock time: ${text}`);
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

/** Parses the report `/usr/bin/time -v -o FILE` writes. Throws when a required line is missing. */
export function parseTimeV(report: string): ProcessUsage {
  const field = (label: string): string | undefined => {
    for (const line of report.split("\n")) {
      const at = line.indexOf(`${label}:`);
      if (at >= 0) return line.slice(at + label.length + 1).trim();
    }
    return undefined;
  };
  const number = (label: string): number => {
    const value = field(label);
    const n = value === undefined ? Number.NaN : Number(value);
    if (!Number.isFinite(n)) throw new Error(`time -v report lacks "${label}"`);
    return n;
  };
  const wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)");
  if (wall === undefined) throw new Error("time -v report lacks the elapsed wall clock time");
  const signalMatch = /Command terminated by signal (\d+)/.exec(report);
  const exit = field("Exit status");
  return {
    userSeconds: number("User time (seconds)"),
    systemSeconds: number("System time (seconds)"),
    maxRssBytes: number("Maximum resident set size (kbytes)") * 1024,
    wallSeconds: parseClock(wall),
    exitStatus: signalMatch !== null || exit === undefined ? null : Number(exit),
    signal: signalMatch === null ? null : Number(signalMatch[1]),
  };
}
