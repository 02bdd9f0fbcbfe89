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

/** Whether a Maven project's jar exists and is not older than any file of its `src/` or its `pom.xml`. */
export function jarIsCurrent(jar: string, projectDir: string): boolean {
  const sources = Math.max(newest(join(projectDir, "src")), statSync(join(projectDir, "pom.xml")).mtimeMs);
  return existsSync(jar) && statSync(jar).mtimeMs >= sources;
}

/**
 * Builds the Kafka Streams reference with Maven when its jar is missing or older than its sources (the jar, in
 * kafka-streams/target/, is a build output and not tracked).
 */
export async function ensureKstreamsJar(progress: Progress): Promise<void> {
  if (jarIsCurrent(KSTREAMS_JAR, KSTREAMS_DIR)) return;
  progress.line("building the Kafka Streams reference (mvn package)");
  const result = await startChild({
    command: "mvn",
    args: ["-q", "-B", "package", "-DskipTests"],
    cwd: KSTREAMS_DIR,
  }).done;
  if (result.exitCode !== 0) throw new Error(`mvn package failed:\n${result.stderrTail}`);
}
