/** One line of `@gametel/core`'s own bench (`packages/core/bench/core.bench.ts`). */
export interface CoreBenchLine {
  readonly section: string;
  readonly name: string;
  /** Events per second of CPU time (one core). */
  readonly perCore: number;
  /** Events per second of wall time. */
  readonly wall: number;
}

const LINE = /^\s+(.+?)\s+([\d,]+) events\/s per core\s+\(([\d,]+) \/s wall\)\s*$/;
const SECTION = /^([a-z][\w ()+-]*)$/i;

/** Parses the core bench's stdout: section headers ("decode") and indented measurement lines. */
export function parseCoreBench(stdout: string): CoreBenchLine[] {
  const lines: CoreBenchLine[] = [];
  let section = "";
  for (const raw of stdout.split("\n")) {
    const m = LINE.exec(raw);
    if (m !== null) {
      lines.push({
        section,
        name: m[1]!.trim(),
        perCore: Number(m[2]!.replaceAll(",", "")),
        wall: Number(m[3]!.replaceAll(",", "")),
      });
      continue;
    }
    const s = SECTION.exec(raw.trimEnd());
    if (s !== null && !raw.startsWith(" ")) section = s[1]!;
  }
  return lines;
}
