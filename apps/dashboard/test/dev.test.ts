import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  cleanEnv,
  defaultPortsStack,
  freePort,
  listening,
  root,
  snapshot,
  stackCli,
} from "./support/stacks.js";
import type { DefaultStack } from "./support/stacks.js";

/**
 * `pnpm dev` as a new user runs it on a machine where the default ports are taken: every port moved by the
 * documented variables, its own stack (own data directory) on the moved ports, the dashboard driven in Chromium.
 * A second stack on the default ports (started here when they are free; CI's own when it holds them) must be left
 * untouched — same data, same processes — and one Ctrl-C must end everything quietly with status 0.
 *
 * Bounded: the builds `pnpm dev` depends on are run first (cache hits when the tree is built, as in CI), so under
 * `pnpm dev` turbo only replays them; the Ctrl-C comes only once every app's dev script has started (no build is
 * still running then, so none is cut short with 129). Every process it starts is stopped in `finally`, also on
 * failure: the dev process group, the dev stack and the default-ports stack it started.
 */

const app = join(root, "apps", "dashboard");
const artifacts = join(app, "test-artifacts");
const CHROMIUM = process.env.GAMETEL_CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The dev scripts that print a line once they run (after turbo built what they need). */
const DEV_APPS = [
  "generator",
  "mongo-source",
  "collector",
  "processor-rdkafka",
  "processor-kafkajs",
] as const;

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Resolves when `test` holds for the output, rejects when the process exits first or the time is up. */
function waitForOutput(
  what: string,
  output: () => string,
  exited: Promise<number | null>,
  test: (text: string) => boolean,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(() => {
      if (test(output())) finish(resolve);
      else if (Date.now() > deadline)
        finish(() => reject(new Error(`no ${what} within ${timeoutMs / 1000} s:\n${output().slice(-4000)}`)));
    }, 250);
    const finish = (f: () => void) => {
      clearInterval(timer);
      f();
    };
    void exited.then((code) =>
      finish(() => reject(new Error(`pnpm dev exited (${code}) before ${what}:\n${output().slice(-4000)}`))),
    );
  });
}

/** Stops a detached process group: SIGINT, then SIGKILL after `graceMs`. Resolves with its exit code. */
async function stopGroup(child: ChildProcess, exited: Promise<number | null>, graceMs: number) {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // already gone
    }
  };
  if (child.exitCode === null && child.signalCode === null) signal("SIGINT");
  const code = await Promise.race([
    exited,
    new Promise<"timeout">((r) => setTimeout(() => r("timeout"), graceMs)),
  ]);
  // Whatever of the group is left (also after a clean exit: nothing of it may outlive the test).
  signal("SIGKILL");
  return code;
}

describe("pnpm dev with every port moved", () => {
  it("runs the pipeline on the moved ports, the dashboard answers in Chromium, Ctrl-C ends quietly with 0, the default-ports stack is untouched", async () => {
    const started = Date.now();
    mkdirSync(artifacts, { recursive: true });
    const ports: number[] = [];
    while (ports.length < 7) {
      const port = await freePort();
      if (!ports.includes(port) && ![9092, 9093, 27017, 3000, 3001, 9464, 9465].includes(port))
        ports.push(port);
    }
    const [kafka, controller, mongo, web, api, metrics, sourceMetrics] = ports as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const devStackDir = mkdtempSync(join(tmpdir(), "gametel-dev-stack-"));
    const otherStackDir = mkdtempSync(join(tmpdir(), "gametel-default-stack-"));
    const env = cleanEnv({
      GAMETEL_KAFKA_PORT: String(kafka),
      GAMETEL_KAFKA_CONTROLLER_PORT: String(controller),
      GAMETEL_MONGO_PORT: String(mongo),
      GAMETEL_DASHBOARD_PORT: String(web),
      GAMETEL_DASHBOARD_API_PORT: String(api),
      GAMETEL_METRICS_PORT: String(metrics),
      GAMETEL_SOURCE_METRICS_PORT: String(sourceMetrics),
      GAMETEL_STACK_DIR: devStackDir,
      GAMETEL_DEV_RATE: "100",
    });

    let other: DefaultStack | undefined;
    let dev: ChildProcess | undefined;
    let exited: Promise<number | null> = new Promise(() => undefined);
    let output = "";
    try {
      // Inside the try: a stack that fails to start still has its directory removed below.
      other = await defaultPortsStack(otherStackDir);
      console.log(
        `dev test: default-ports stack ${other.startedHere ? "started" : "already running"} (${elapsed(started)})`,
      );
      const before = await snapshot(other.mongoUri, other.brokers);
      const processesBefore = await other.processes();
      if (other.startedHere) expect(Object.keys(processesBefore).sort()).toEqual(["kafka", "mongo"]);

      // What `pnpm dev` depends on (turbo's ^build of every dev task), built now: cache hits on a built tree.
      const build = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn("pnpm", ["turbo", "run", "build", "--output-logs=errors-only"], {
          cwd: root,
          env,
        });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        child.on("close", (code) => resolve({ code, out }));
      });
      expect(build.code, build.out.slice(-3000)).toBe(0);
      console.log(`dev test: build done (${elapsed(started)})`);

      // Its own process group, as a terminal runs it: the Ctrl-C below reaches every process of it at once.
      const child = spawn("pnpm", ["dev"], {
        cwd: root,
        env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      dev = child;
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

      await waitForOutput(
        "dashboard",
        () => output,
        exited,
        (text) => text.includes(`dev: dashboard on http://localhost:${web}`),
        150_000,
      );
      // Vite starts right after that line; it answers a moment later.
      await expect
        .poll(
          () =>
            fetch(`http://localhost:${web}/`).then(
              (r) => r.ok,
              () => false,
            ),
          { timeout: 30_000, interval: 250 },
        )
        .toBe(true);
      console.log(`dev test: dashboard up (${elapsed(started)})`);
      const profile = mkdtempSync(join(tmpdir(), "gametel-chromium-"));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        viewport: { width: 1280, height: 900 },
      });
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        const url = `http://localhost:${web}`;
        // Retried: the first navigation met a refused connection once although Vite had answered Node's fetch.
        await expect
          .poll(
            () =>
              page.goto(`${url}/`).then(
                (r) => r?.ok() ?? false,
                () => false,
              ),
            { timeout: 30_000, interval: 1000 },
          )
          .toBe(true);
        // Events flow generator -> MongoDB -> source -> Kafka -> processor -> MongoDB, all on the moved ports.
        await expect
          .poll(
            async () =>
              Number(
                /of ([\d,]+) players/
                  .exec((await page.textContent("[data-testid=leaderboard-summary]")) ?? "")?.[1]
                  ?.replace(/,/g, "") ?? 0,
              ),
            { timeout: 120_000, interval: 1000 },
          )
          .toBeGreaterThan(0);
        console.log(`dev test: players on the leaderboard (${elapsed(started)})`);
        // The game picker, empty at first on a fresh pipeline, finds the game by itself.
        await expect.poll(() => page.inputValue("[data-testid=game]"), { timeout: 15_000 }).toBe("arena");
        // A minimum sample of 0: every player so far ranks.
        await page.fill("[data-testid=min-sample]", "0");
        await page.dispatchEvent("[data-testid=min-sample]", "change");
        await page.waitForSelector("table[data-testid=leaderboard] tbody tr[data-player]", {
          timeout: 15_000,
        });
        await page.screenshot({ path: join(artifacts, "dev-leaderboard.png"), fullPage: true });
        await page.goto(`${url}/#/health`);
        await expect
          .poll(() => page.textContent("[data-testid=health-up] strong"), { timeout: 30_000 })
          .toBe("1 / 1");
        await expect
          .poll(
            async () =>
              Number(((await page.textContent("[data-testid=health-rate] strong")) ?? "").replace(/,/g, "")),
            {
              timeout: 30_000,
            },
          )
          .toBeGreaterThan(0);
        await page.screenshot({ path: join(artifacts, "dev-health.png"), fullPage: true });
        expect((await fetch(`http://127.0.0.1:${sourceMetrics}/readyz`)).status).toBe(200);
        expect(await listening(kafka)).toBe(true);
        expect(await listening(mongo)).toBe(true);
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
      // Every dev script has started, so turbo runs no build any more: the Ctrl-C cuts nothing short.
      await waitForOutput(
        "every app's dev script",
        () => output,
        exited,
        (text) => DEV_APPS.every((name) => new RegExp(`dev: ${name}(?::| idle)`).test(text)),
        60_000,
      );
      const code = await stopGroup(child, exited, 90_000);
      console.log(`dev test: pnpm dev exited ${code} (${elapsed(started)})`);
      expect(code, output.slice(-3000)).toBe(0);
      expect(output).not.toMatch(/ELIFECYCLE|Force killing|ECONNREFUSED|http proxy error|WARN/);
      for (const port of ports) expect(await listening(port), `port ${port}`).toBe(false);
      // The other stack: the same data, the same processes, still answering.
      expect(await snapshot(other.mongoUri, other.brokers)).toEqual(before);
      expect(await other.processes()).toEqual(processesBefore);
    } catch (error) {
      // With what pnpm dev printed, so a failure says what happened there.
      (error as Error).message += `\n--- pnpm dev output (last lines) ---\n${output.slice(-6000)}`;
      throw error;
    } finally {
      if (dev !== undefined) await stopGroup(dev, exited, 30_000);
      // The dev stack, had its Ctrl-C not stopped it (idempotent).
      await stackCli(
        ["down"],
        cleanEnv({
          GAMETEL_STACK_DIR: devStackDir,
          GAMETEL_KAFKA_PORT: String(kafka),
          GAMETEL_KAFKA_CONTROLLER_PORT: String(controller),
          GAMETEL_MONGO_PORT: String(mongo),
        }),
      );
      rmSync(devStackDir, { recursive: true, force: true });
      await other?.stop();
      rmSync(otherStackDir, { recursive: true, force: true });
    }
    console.log(`dev test: done in ${elapsed(started)}`);
  }, 420_000);
});
