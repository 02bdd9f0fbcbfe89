import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { partitionKey, type TelemetryEvent } from "@gametel/core";
import { kafkaBrokers } from "@gametel/devstack";
import { partitionForKey } from "@gametel/runtime";
import { readCounts, recomputeExpected } from "@gametel/runtime/testing";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedRecords, startPipeline } from "./support/pipeline.js";
import type { GeneratedRecord, TestPipeline } from "./support/pipeline.js";
import { readDeadLetters } from "../src/server/index.js";
import type { DeadLetterSource } from "../src/server/index.js";
import { serveDashboard } from "./support/server.js";
import type { RunningDashboard } from "./support/server.js";

/**
 * The dashboard in Debian's headless Chromium (driven by playwright-core; no browser download), fed by the real
 * pipeline. Screenshots go to test-artifacts/ (git-ignored).
 */

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const artifacts = join(app, "test-artifacts");
const CHROMIUM = process.env.GAMETEL_CHROMIUM_PATH ?? "/usr/bin/chromium";

let pipeline: TestPipeline;
let server: RunningDashboard;
let context: BrowserContext;
let page: Page;
let profile: string;
let later: GeneratedRecord[];
let deadLetters: DeadLetterSource;
let invalidRecords: number;

beforeAll(async () => {
  if (!existsSync(join(app, "dist", "web", "index.html"))) {
    throw new Error(
      "the web UI is not built: run `pnpm --filter @gametel/dashboard build` (test:integration does)",
    );
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run node scripts/ensure-chromium.mjs`);
  mkdirSync(artifacts, { recursive: true });
  const records = generatedRecords(41, 5_000);
  invalidRecords = recomputeExpected(records.map((r) => r.json)).counts.invalid;
  later = records.slice(3_000);
  pipeline = await startPipeline("dash-web");
  await pipeline.feed(records.slice(0, 3_000));
  deadLetters = readDeadLetters({ brokers: kafkaBrokers(), topics: [pipeline.dlqTopic], retryMs: 1_000 });
  server = await serveDashboard(
    pipeline.db,
    { staticDir: join(app, "dist", "web"), metricsUrls: [pipeline.metricsUrl], livePollMs: 1000 },
    { deadLetters },
  );
  profile = mkdtempSync(join(tmpdir(), "gametel-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await deadLetters?.close();
  await context?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  await server?.close();
  await pipeline?.close();
});

/** Top 20 by K/D as MongoDB has them (ties by player id, as the dashboard sorts): [player, kills] pairs. */
async function mongoTop(): Promise<[string, number][]> {
  const docs = await pipeline.db
    .collection("player_stats")
    .find({ game_id: "arena" })
    .sort({ kd_ratio: -1, player_id: 1 })
    .limit(20)
    .toArray();
  return docs.map((d) => [d.player_id as string, d.kills as number]);
}

/** What the leaderboard table shows: [player, kills] per row. */
function shownTop(): Promise<[string, number][]> {
  return page.$$eval("table[data-testid=leaderboard] tbody tr[data-player]", (rows) =>
    rows.map((row) => [
      row.getAttribute("data-player") ?? "",
      Number((row.querySelector("[data-col=kills]")?.textContent ?? "").replace(/,/g, "")),
    ]),
  ) as Promise<[string, number][]>;
}

/** Pixels drawn on a chart's canvas (uPlot draws series on a canvas): non-zero means a plotted line. */
function drawnPixels(testId: string): Promise<number> {
  // Runs in the page (this file is typed for Node, hence the structural type).
  type Canvas = {
    width: number;
    height: number;
    getContext(kind: "2d"): {
      getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
    };
  };
  return page.$eval(`[data-testid=${testId}] canvas`, (canvas) => {
    const c = canvas as unknown as Canvas;
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n += 1;
    return n;
  });
}

describe("dashboard in Chromium", () => {
  it("the leaderboard shows the same top players as MongoDB", async () => {
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector("table[data-testid=leaderboard] tbody tr[data-player]");
    const expected = await mongoTop();
    expect(expected.length).toBeGreaterThan(3);
    await expect.poll(shownTop, { timeout: 10_000 }).toEqual(expected);
    await page.screenshot({ path: join(artifacts, "leaderboard.png"), fullPage: true });
  });

  it("a player page renders its stats and charts", async () => {
    const [player] = (await mongoTop())[0]!;
    await page.click(`tr[data-player="${player}"] a`);
    await page.waitForSelector("[data-testid=chart-kd] canvas");
    const doc = await pipeline.db.collection("player_stats").findOne({ game_id: "arena", player_id: player });
    await expect
      .poll(() => page.textContent("[data-testid=stat-kills] strong"), { timeout: 10_000 })
      .toBe(String(doc!.kills));
    expect(await page.textContent("[data-testid=player-id]")).toBe(player);
    const windows = await pipeline.db
      .collection("player_stats_5m")
      .countDocuments({ game_id: "arena", player_id: player, first_seen: { $ne: null } });
    expect(windows).toBeGreaterThan(1);
    for (const chart of ["chart-kd", "chart-kills", "chart-survival"]) {
      await expect.poll(() => drawnPixels(chart), { timeout: 10_000 }).toBeGreaterThan(100);
    }
    await page.screenshot({ path: join(artifacts, "player.png"), fullPage: true });
  });

  it("a change in MongoDB shows on the open leaderboard within seconds, without a reload", async () => {
    await page.goto(`${server.url}/#/`);
    const before = await mongoTop();
    await expect.poll(shownTop, { timeout: 10_000 }).toEqual(before);
    await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));

    await pipeline.feed(later); // the processor applies more events; MongoDB changes
    const after = await mongoTop();
    expect(after).not.toEqual(before);
    const started = Date.now();
    await expect.poll(shownTop, { timeout: 10_000, interval: 200 }).toEqual(after);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);
    expect(await page.getAttribute("[data-testid=live-status]", "data-state")).toBe("live");
    await page.screenshot({ path: join(artifacts, "leaderboard-live.png"), fullPage: true });
  });

  it("search filters the leaderboard by player", async () => {
    await page.fill("[data-testid=search]", "0001");
    await expect
      .poll(async () => (await shownTop()).map(([p]) => p), { timeout: 10_000 })
      .toEqual(["player-0001"]);
    await page.fill("[data-testid=search]", "");
  });

  it("matches, servers and pipeline health render from real data", async () => {
    await page.goto(`${server.url}/#/matches`);
    const matches = await pipeline.db.collection("match_stats").countDocuments({ game_id: "arena" });
    await expect
      .poll(() => page.locator("table[data-testid=matches] tbody tr[data-match]").count(), {
        timeout: 10_000,
      })
      .toBe(Math.min(matches, 50));
    await page.screenshot({ path: join(artifacts, "matches.png"), fullPage: true });
    await page.click("table[data-testid=matches] tbody tr[data-match] a");
    await page.waitForSelector("dl[data-testid=match] dt");
    await page.screenshot({ path: join(artifacts, "match.png"), fullPage: true });

    await page.goto(`${server.url}/#/servers`);
    await expect.poll(() => drawnPixels("chart-ping"), { timeout: 10_000 }).toBeGreaterThan(100);
    await expect.poll(() => drawnPixels("chart-fps"), { timeout: 10_000 }).toBeGreaterThan(100);
    await page.screenshot({ path: join(artifacts, "servers.png"), fullPage: true });

    await page.goto(`${server.url}/#/health`);
    await expect
      .poll(() => page.textContent("[data-testid=health-up] strong"), { timeout: 10_000 })
      .toBe("1 / 1");
    // Consumed counts replays too (a rebalance re-delivers uncommitted records); valid counts each event once.
    const consumed = Number(
      (await page.textContent("[data-testid=health-consumed] strong"))!.replace(/,/g, ""),
    );
    expect(consumed).toBeGreaterThanOrEqual(5_000);
    const valid = (await readCounts(pipeline.db)).valid;
    await expect
      .poll(
        async () =>
          Number(
            (await page.textContent(`tr[data-target="${pipeline.metricsUrl}"] td:nth-child(5)`))!.replace(
              /,/g,
              "",
            ),
          ),
        {
          timeout: 10_000,
        },
      )
      .toBe(valid);
    await expect.poll(() => drawnPixels("chart-lag"), { timeout: 15_000 }).toBeGreaterThan(100);
    // The generated data has duplicates: the page says where they come from.
    await page.waitForSelector("[data-testid=health-duplicates-why]:not([hidden])", { timeout: 10_000 });
    expect(await page.textContent("[data-testid=health-duplicates-why]")).toMatch(
      /^Why duplicates: an event whose event_id was already applied .* is dropped, not counted again\./,
    );

    // Input the processor refuses is counted by cause: two events on the wrong partition, one dated 9999, and one
    // record larger than the dead-letter bound (dead-lettered as a reference).
    const sample = JSON.parse(later[10]!.json) as TelemetryEvent;
    const home = partitionForKey(partitionKey(sample), pipeline.partitions);
    const copy = (n: number, patch: object) =>
      JSON.stringify({ ...sample, event_id: `7e57ab1e-0000-4000-8000-00000000000${n}`, ...patch });
    await pipeline.produceRaw([
      { key: null, value: copy(1, {}), partition: (home + 1) % pipeline.partitions },
      { key: `${partitionKey(sample)}!`, value: copy(2, {}), partition: (home + 2) % pipeline.partitions },
      { key: partitionKey(sample), value: copy(3, { event_time: Date.UTC(9999, 0, 1) }) },
      { key: "big", value: `{"pad":"${"x".repeat(700_000)}"}` },
    ]);
    const cardValue = (id: string) => page.textContent(`[data-testid=${id}] strong`);
    await expect.poll(() => cardValue("health-mispartitioned"), { timeout: 15_000 }).toBe("2");
    await expect.poll(() => cardValue("health-out-of-range"), { timeout: 15_000 }).toBe("1");
    await expect.poll(() => cardValue("health-truncated"), { timeout: 15_000 }).toBe("1");
    // Distinct dead letters, read from the dead-letter topic: every malformed generated record and the four above.
    await expect
      .poll(() => cardValue("health-dead-distinct"), { timeout: 15_000 })
      .toBe(String(invalidRecords + 4));
    expect(await page.textContent("[data-testid=health-dead-distinct] .label")).toMatch(
      new RegExp(`^Dead letters, distinct \\(\\d+ records on ${pipeline.dlqTopic}\\)$`),
    );
    await page.screenshot({ path: join(artifacts, "health.png"), fullPage: true });
  });
});
