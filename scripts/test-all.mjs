#!/usr/bin/env node
// The whole test suite, as the README's test command and CI run it (after scripts/setup.mjs):
//   1. bring the local stack up (Kafka, MongoDB server), unless KAFKA_BROKERS / MONGODB_URI point elsewhere;
//   2. turbo run build lint typecheck test;
//   3. turbo run test:integration --concurrency=1 (against the real broker and server);
//   4. stop the services this command started — always, also after a failure or Ctrl-C;
//   5. print `N passed, N failed` (vitest test counts, plus one per failed step that reported no
//      failing test) and exit non-zero if anything failed.
// A stack that was already running before this command stays running.
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const stackCli = join(root, "packages", "devstack", "bin", "gametel-stack.mjs");
const env = { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: "1" };

const totals = { passed: 0, failed: 0, skipped: 0 };
/** @type {string[]} */
const failedSteps = [];
let interrupted = false;

// Ctrl-C reaches the children (same process group); this process lives on to stop the stack.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(signal, () => {
    interrupted = true;
    console.log(`test-all: ${signal}, stopping after the current step`);
  });
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * Vitest's summary line, e.g. "Tests  2 failed | 31 passed | 1 skipped (34)", possibly behind a turbo prefix.
 * @param {string} line
 */
function vitestCounts(line) {
  const match = /(?:^|\s)Tests\s{2,}(.+?)\s*\(\d+\)\s*$/.exec(line.replace(ansi, ""));
  if (!match?.[1]) return undefined;
  const count = (/** @type {string} */ label) =>
    Number(new RegExp(`(\\d+) ${label}`).exec(match[1] ?? "")?.[1] ?? 0);
  return { passed: count("passed"), failed: count("failed"), skipped: count("skipped") };
}

/**
 * Runs a command with its output passed through (and scanned for vitest counts).
 * @param {string} title
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<{ code: number, counts: { passed: number, failed: number, skipped: number } }>}
 */
function step(title, command, args) {
  console.log(`\ntest-all: ${title}: ${command} ${args.join(" ")}`);
  const counts = { passed: 0, failed: 0, skipped: 0 };
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = "";
      stream.on("data", (/** @type {Buffer} */ chunk) => {
        (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
        const lines = (rest + chunk.toString("utf8")).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) {
          const found = vitestCounts(line);
          if (found) {
            counts.passed += found.passed;
            counts.failed += found.failed;
            counts.skipped += found.skipped;
          }
        }
      });
    }
    child.once("error", (err) => {
      console.error(`test-all: could not run ${command}: ${err.message}`);
      done({ code: 127, counts });
    });
    child.once("close", (code, signal) => done({ code: code ?? (signal ? 128 : 1), counts }));
  });
}

/**
 * @param {string} title
 * @param {string} command
 * @param {string[]} args
 */
async function testStep(title, command, args) {
  const { code, counts } = await step(title, command, args);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (code !== 0) {
    failedSteps.push(`${title} (exit ${code})`);
    if (counts.failed === 0) totals.failed += 1; // a failure that is not a failing test still counts
  }
  return code === 0;
}

/** @returns {Promise<string[]>} local services running now */
async function runningServices() {
  return new Promise((done) => {
    const child = spawn(process.execPath, [stackCli, "status", "--json"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (/** @type {Buffer} */ chunk) => (out += chunk.toString("utf8")));
    child.once("close", () => {
      try {
        const rows = /** @type {{ service: string, state: string }[]} */ (JSON.parse(out));
        done(rows.filter((row) => row.state === "running").map((row) => row.service));
      } catch {
        done([]);
      }
    });
  });
}

const before = await runningServices();
const stackUp = await testStep("stack up", process.execPath, [stackCli, "up"]);
try {
  if (stackUp && !interrupted) {
    await testStep("build, lint, typecheck, unit tests", "pnpm", [
      "exec",
      "turbo",
      "run",
      "build",
      "lint",
      "typecheck",
      "test",
      "--continue",
      // Two cores: more parallel tasks only make each one slower (and time-sensitive tests flaky).
      "--concurrency=3",
    ]);
  }
  if (stackUp && !interrupted) {
    await testStep("integration tests", "pnpm", [
      "exec",
      "turbo",
      "run",
      "test:integration",
      "--concurrency=1",
      "--continue",
    ]);
  }
} finally {
  const started = (await runningServices()).filter((service) => !before.includes(service));
  if (started.length > 0) {
    const { code } = await step("stack down", process.execPath, [stackCli, "down", ...started]);
    if (code !== 0) {
      failedSteps.push(`stack down (exit ${code})`);
      totals.failed += 1;
    }
  } else if (before.length > 0) {
    console.log(`\ntest-all: leaving ${before.join(" and ")} running (they were running before)`);
  }
}

if (interrupted) {
  failedSteps.push("interrupted");
  totals.failed += 1;
}
console.log("");
if (failedSteps.length > 0) console.log(`test-all: FAILED: ${failedSteps.join("; ")}`);
else console.log("test-all: all steps passed");
console.log(
  `${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ""}`,
);
process.exitCode = failedSteps.length > 0 ? 1 : 0;
