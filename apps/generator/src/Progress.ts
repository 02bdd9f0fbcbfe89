import cliProgress from "cli-progress";
import type { RunProgress } from "@gametel/generator";

export type ProgressMode = "auto" | "bar" | "lines" | "off";

export interface ProgressOptions {
  readonly mode: ProgressMode;
  readonly stream: NodeJS.WriteStream;
  /** Records to write, when known: the bar shows their share. */
  readonly totalRecords?: number;
  /** Run length, when known (and no record count): the bar shows elapsed time. */
  readonly durationMs?: number;
  /** Period of plain progress lines. */
  readonly linesEveryMs?: number;
}

export interface ProgressReporter {
  /** Says what the run does, before the first record (a plain line outside a terminal). */
  begin(what: string): void;
  update(progress: RunProgress): void;
  stop(): void;
}

/** Records per second over the last two seconds. */
const createRateMeter = (): ((elapsedMs: number, records: number) => number) => {
  const samples: { t: number; n: number }[] = [];
  return (t, n) => {
    samples.push({ t, n });
    while (samples.length > 2 && t - (samples[0] as { t: number }).t > 2000) samples.shift();
    const first = samples[0] as { t: number; n: number };
    return t > first.t ? Math.round(((n - first.n) * 1000) / (t - first.t)) : 0;
  };
};

const gameTime = (clock: number): string => new Date(clock).toISOString().replace(".000Z", "Z");

/** A progress bar with the live rate on a terminal, a plain line every few seconds otherwise. */
export const createProgressReporter = (options: ProgressOptions): ProgressReporter => {
  const mode = options.mode === "auto" ? (options.stream.isTTY ? "bar" : "lines") : options.mode;
  const rate = createRateMeter();
  if (mode === "off") return { begin: () => undefined, update: () => undefined, stop: () => undefined };

  if (mode === "lines") {
    const every = options.linesEveryMs ?? 5000;
    let next = every;
    return {
      begin(what) {
        options.stream.write(`start ${what}\n`);
      },
      update(p) {
        const r = rate(p.elapsedMs, p.summary.total_records);
        if (p.elapsedMs < next) return;
        next = p.elapsedMs + every;
        const s = p.summary;
        options.stream.write(
          `progress elapsed_s=${(p.elapsedMs / 1000).toFixed(1)} records=${s.total_records} rate=${r}/s ` +
            `duplicates=${s.duplicates} out_of_order=${s.out_of_order} late=${s.late} malformed=${s.malformed} ` +
            `game_time=${gameTime(p.clock)}\n`,
        );
      },
      stop: () => undefined,
    };
  }

  const byRecords = options.totalRecords !== undefined;
  const byTime = !byRecords && options.durationMs !== undefined;
  const head = byRecords || byTime ? "{bar} {percentage}% | " : "";
  const bar = new cliProgress.SingleBar(
    {
      stream: options.stream,
      format: `${head}{records} records | {rate}/s | faults {faults} | game {game}`,
      hideCursor: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const total = byRecords
    ? (options.totalRecords as number)
    : byTime
      ? (options.durationMs as number) / 1000
      : 1;
  bar.start(total, 0, { records: 0, rate: 0, faults: 0, game: "-" });
  return {
    begin: () => undefined,
    update(p) {
      const s = p.summary;
      const value = byRecords ? s.total_records : byTime ? Math.min(total, p.elapsedMs / 1000) : 0;
      bar.update(value, {
        records: s.total_records,
        rate: rate(p.elapsedMs, s.total_records),
        faults: s.duplicates + s.out_of_order + s.late + s.malformed,
        game: gameTime(p.clock),
      });
    },
    stop() {
      bar.stop();
    },
  };
};
