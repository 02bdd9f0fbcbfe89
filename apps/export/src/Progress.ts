import cliProgress from "cli-progress";
import type { ExportProgress } from "./Exporter.js";
import type { ProgressMode } from "./cli.js";

export interface ProgressReporter {
  update(progress: ExportProgress): void;
  stop(): void;
}

/** A bar on a terminal (rows staged, files written); a line per file otherwise; nothing with "off". */
export function createProgressReporter(mode: ProgressMode, stream: NodeJS.WriteStream): ProgressReporter {
  const resolved = mode === "auto" ? (stream.isTTY ? "bar" : "lines") : mode;
  if (resolved === "off") return { update: () => undefined, stop: () => undefined };
  if (resolved === "lines")
    return {
      update(p) {
        if (p.phase === "write" && p.file !== undefined) stream.write(`wrote ${p.file}\n`);
      },
      stop: () => undefined,
    };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: "{bar} {percentage}% | {value}/{total} rows | {files} files | {table}",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(Math.max(p.totalRows, 1), 0, { files: 0, table: "" });
        started = true;
      }
      bar.update(Math.min(p.rows, Math.max(p.totalRows, 1)), { files: p.files, table: p.table });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
