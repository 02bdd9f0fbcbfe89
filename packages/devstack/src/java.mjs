// Finds the JDK that runs Kafka and the MongoDB launcher, and refuses one that is missing or too old.
import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { StackError } from "./errors.mjs";

export const MIN_JAVA = 17;

/**
 * The major version in `java -version` output: `openjdk version "17.0.15"` is 17, `"1.8.0_392"` is 8.
 * @param {string} output
 * @returns {number | undefined}
 */
export function parseJavaMajor(output) {
  const match = /version "([^"]+)"/.exec(output);
  if (!match?.[1]) return undefined;
  const parts = match[1].split(/[.+_-]/).map(Number);
  const first = parts[0];
  if (first === undefined || Number.isNaN(first)) return undefined;
  return first === 1 && parts[1] !== undefined ? parts[1] : first;
}

/**
 * @typedef {object} Java
 * @property {string} command what to spawn
 * @property {number} major
 */

/**
 * JAVA_HOME/bin/java when JAVA_HOME is set, else `java` on PATH.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Java}
 */
export function findJava(env) {
  const home = env.JAVA_HOME?.trim();
  const command = home && existsSync(join(home, "bin", "java")) ? join(home, "bin", "java") : "java";
  const result = spawnSync(command, ["-version"], { encoding: "utf8", env });
  if (result.error) {
    throw new StackError(
      `Java not found (no \`java\` on PATH${home ? ` nor in JAVA_HOME=${home}` : ""}): install a JDK ${MIN_JAVA} or newer (e.g. apt-get install openjdk-17-jdk-headless) and put it on PATH or set JAVA_HOME.`,
    );
  }
  const output = `${result.stderr}${result.stdout}`;
  const major = parseJavaMajor(output);
  if (major === undefined) {
    throw new StackError(
      `could not read the version of ${command} (\`java -version\` printed: ${output.trim().split("\n")[0] ?? ""}); install a JDK ${MIN_JAVA} or newer.`,
    );
  }
  if (major < MIN_JAVA) {
    throw new StackError(
      `Java ${major} found (${command}), but Kafka 4 needs Java ${MIN_JAVA} or newer: install JDK ${MIN_JAVA}+ and put it first on PATH or set JAVA_HOME.`,
    );
  }
  return { command, major };
}

/**
 * Where PATH finds the command, like `command -v`.
 * @param {string} command
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | undefined}
 */
function onPath(command, env) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/**
 * The MongoDB launcher runs as a single-file Java program, which needs a full JDK (javac beside java).
 * @param {Java} java
 * @param {NodeJS.ProcessEnv} env
 */
export function requireJdk(java, env) {
  const binary = java.command.includes("/") ? java.command : onPath(java.command, env);
  if (binary === undefined) return;
  let javac;
  try {
    javac = join(dirname(realpathSync(binary)), "javac");
  } catch {
    return; // cannot tell; the launcher's log will say it if the compiler is missing
  }
  if (!existsSync(javac)) {
    throw new StackError(
      `${binary} is a Java runtime without the compiler (no javac beside it); the MongoDB launcher needs a full JDK ${MIN_JAVA}+ (e.g. apt-get install openjdk-17-jdk-headless).`,
    );
  }
}
