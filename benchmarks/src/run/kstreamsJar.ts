import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { startChild } from "./child.js";
import type { Progress } from "./progress.js";
import { KSTREAMS_DIR, KSTREAMS_JAR } from "./runners.js";

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

/** Builds the Kafka Streams reference with Maven when its jar is missing or older than its sources. */
export async function ensureKstreamsJar(progress: Progress): Promise<void> {
  const sources = Math.max(
    newest(join(KSTREAMS_DIR, "src")),
    statSync(join(KSTREAMS_DIR, "pom.xml")).mtimeMs,
  );
  if (existsSync(KSTREAMS_JAR) && statSync(KSTREAMS_JAR).mtimeMs >= sources) return;
  progress.line("building the Kafka Streams reference (mvn package)");
  const result = await startChild({
    command: "mvn",
    args: ["-q", "-B", "package", "-DskipTests"],
    cwd: KSTREAMS_DIR,
  }).done;
  if (result.exitCode !== 0) throw new Error(`mvn package failed:\n${result.stderrTail}`);
}
