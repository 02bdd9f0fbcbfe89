// Kafka Connect for tests of the shipped connector configurations (connect/): the repository's configuration
// files, a standalone worker's runtime and connector plugins resolved from Maven Central (cached under
// .cache/connect), and the worker as a child process. Needs java and mvn on PATH (the local stack needs them too).
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./config.mjs";

const run = promisify(execFile);

export const connectDir = join(repoRoot, "connect");
export const connectCacheDir = join(repoRoot, ".cache", "connect");
/** The worker's runtime: Kafka Connect and its dependencies (connect/test/pom.xml). */
export const connectLibsDir = join(connectCacheDir, "libs");
const POM = join(connectDir, "test", "pom.xml");

/** @param {string} path @returns {Record<string, string>} a .properties file's entries */
export function readProperties(path) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const eq = line.indexOf("=");
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** @param {string} path @param {Record<string, string>} props */
export function writeProperties(path, props) {
  // Our values hold no backslashes or line breaks, so key=value is a faithful encoding.
  for (const [k, v] of Object.entries(props)) {
    if (/[\\\n]/.test(k + v)) throw new Error(`cannot write ${k} as a plain property`);
  }
  writeFileSync(
    path,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n") + "\n",
  );
}

/** @param {string} path @returns {{ name: string, config: Record<string, string> }} */
export function readConnectorJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Fetches the worker's runtime into `connectLibsDir` once. */
export async function ensureConnectRuntime() {
  if (existsSync(join(connectLibsDir, "connect-runtime-4.4.0.jar"))) return;
  await run("mvn", [
    "-q",
    "-B",
    "-f",
    POM,
    "dependency:copy-dependencies",
    `-DoutputDirectory=${connectLibsDir}`,
    "-DincludeScope=runtime",
  ]);
}

/**
 * Fetches a connector plugin's jar (`groupId:artifactId:version[:packaging[:classifier]]`) into `dir` once, unless
 * `jar` is there already.
 * @param {string} artifact @param {string} dir @param {string} jar
 */
export async function ensureConnectorPlugin(artifact, dir, jar) {
  if (existsSync(join(dir, jar))) return;
  mkdirSync(dir, { recursive: true });
  await run("mvn", [
    "-q",
    "-B",
    "-f",
    POM,
    "dependency:copy",
    `-Dartifact=${artifact}`,
    `-DoutputDirectory=${dir}`,
  ]);
}

/**
 * Starts a standalone worker in `workDir` (`worker.properties` and the connector files named in `files`), its
 * output collected for `log()`; `stop()` sends SIGTERM, then SIGKILL after 15 s.
 * @param {{ workDir: string, files?: readonly string[], env?: NodeJS.ProcessEnv }} options
 */
export function startConnectWorker({ workDir, files = [], env = process.env }) {
  const child = spawn(
    "java",
    [
      "-Xmx512m",
      "-cp",
      `${connectLibsDir}/*`,
      "org.apache.kafka.connect.cli.ConnectStandalone",
      "worker.properties",
      ...files,
    ],
    { cwd: workDir, stdio: ["ignore", "pipe", "pipe"], env },
  );
  let log = "";
  child.stdout.setEncoding("utf8").on("data", (/** @type {string} */ s) => (log += s));
  child.stderr.setEncoding("utf8").on("data", (/** @type {string} */ s) => (log += s));
  return {
    child,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
