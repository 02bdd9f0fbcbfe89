import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Document } from "mongodb";
import type { BrowserContext, Page } from "playwright-core";
import { decodeEvent, partitionKey, type TelemetryEvent } from "@gametel/core";
import { kafkaBrokers } from "@gametel/devstack";
import { partitionForKey } from "@gametel/runtime";
import { readCounts, recomputeExpected } from "@gametel/runtime/testing";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchPlayers } from "./support/matchPlayers.js";
import type { MatchPlayerDoc } from "./support/matchPlayers.js";
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
let records: GeneratedRecord[];
/** Records fed besides `records`. */
const extra: GeneratedRecord[] = [];

beforeAll(async () => {
  if (!existsSync(join(app, "dist", "web", "index.html"))) {
    throw new Error(
      "the web UI is not built: run `pnpm --filter @gametel/dashboard build` (test:integration does)",
    );
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run node scripts/ensure-chromium.mjs`);
  mkdirSync(artifacts, { recursive: true });
  // Recent event times (the last ones about two minutes ago), so latencies are minutes, not months.
  records = generatedRecords(41, 5_000, Date.now() - 10 * 60_000);
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
    // One time format with its zone: Berlin in winter is GMT+1 (the dashboard names it).
    timezoneId: "Europe/Berlin",
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

/** The minimum sample the leaderboard tests set (1 match: every player who played ranks). */
const MIN_MATCHES = 1;

/**
 * Top 20 by K/D as MongoDB has them among players with at least `min` matches (ties by player id, as the dashboard
 * sorts): [player, kills] pairs.
 */
async function mongoTop(min = MIN_MATCHES): Promise<[string, number][]> {
  const docs = await pipeline.db
    .collection("player_stats")
    .find({ game_id: "arena", matches: { $gte: min } })
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

/** Sets the leaderboard's minimum sample through its controls. */
async function setMinimum(min: number, basis: "matches" | "deaths"): Promise<void> {
  await page.selectOption("[data-testid=min-basis]", basis);
  await page.fill("[data-testid=min-sample]", String(min));
  await page.dispatchEvent("[data-testid=min-sample]", "change");
}

const shownNumber = async (selector: string) =>
  Number(((await page.textContent(selector)) ?? "").replace(/,/g, ""));

describe("dashboard in Chromium", () => {
  it("the leaderboard shows the same top players as MongoDB", async () => {
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector("[data-testid=qualifying]");
    await setMinimum(MIN_MATCHES, "matches");
    await page.waitForSelector("table[data-testid=leaderboard] tbody tr[data-player]");
    const expected = await mongoTop();
    expect(expected.length).toBeGreaterThan(3);
    await expect.poll(shownTop, { timeout: 10_000 }).toEqual(expected);
    // One time format, with the zone.
    const lastSeen = await page.$$eval("td[data-col=last_seen]", (cells) => cells.map((c) => c.textContent));
    expect(lastSeen.length).toBeGreaterThan(0);
    for (const text of lastSeen) expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} GMT\+1$/);
    await page.screenshot({ path: join(artifacts, "leaderboard.png"), fullPage: true });
  });

  it("the minimum sample filters who ranks, and the qualifying count follows it", async () => {
    const players = pipeline.db.collection("player_stats");
    const total = await players.countDocuments({ game_id: "arena" });
    // Deaths vary between players: a threshold that some meet and some do not.
    const deaths = ((await players.distinct("deaths", { game_id: "arena" })) as number[]).sort(
      (x, y) => x - y,
    );
    expect(deaths.length, "players differ in deaths").toBeGreaterThan(1);
    // Matches may not vary in this short run: then the most anyone has is the threshold that still lets all rank.
    const matches = ((await players.distinct("matches", { game_id: "arena" })) as number[]).sort(
      (x, y) => x - y,
    );
    for (const [basis, min] of [
      ["deaths", deaths[Math.floor(deaths.length / 2)]!],
      ["matches", matches.at(-1)!],
    ] as const) {
      const qualifying = await players.countDocuments({ game_id: "arena", [basis]: { $gte: min } });
      expect(qualifying).toBeGreaterThan(0);
      if (basis === "deaths") expect(qualifying).toBeLessThan(total);
      // The summary names the minimum the rows were read with, so the count below is the new one.
      const summary = () => page.textContent("[data-testid=leaderboard-summary]");
      await setMinimum(0, basis);
      await expect.poll(summary, { timeout: 10_000 }).toContain(`have at least 0 ${basis}`);
      expect(await shownNumber("[data-testid=qualifying]")).toBe(total);
      await setMinimum(min, basis);
      await expect.poll(summary, { timeout: 10_000 }).toContain(`have at least ${min} ${basis}`);
      expect(await shownNumber("[data-testid=qualifying]")).toBe(qualifying);
      const shown = await page.$$eval(`td[data-col=${basis}]`, (cells) =>
        cells.map((c) => Number((c.textContent ?? "").replace(/,/g, ""))),
      );
      expect(shown.length).toBe(Math.min(qualifying, 20));
      for (const n of shown) expect(n).toBeGreaterThanOrEqual(min);
      await page.screenshot({ path: join(artifacts, `leaderboard-min-${basis}.png`), fullPage: true });
    }
    // One more match than anyone has: nobody ranks, and a message says why the board is empty.
    await setMinimum(matches.at(-1)! + 1, "matches");
    await expect.poll(() => shownNumber("[data-testid=qualifying]"), { timeout: 10_000 }).toBe(0);
    expect(await page.textContent("[data-testid=leaderboard-empty]")).toMatch(/lower the minimum sample/);
    await setMinimum(MIN_MATCHES, "matches");
    await expect.poll(shownTop, { timeout: 10_000 }).toEqual(await mongoTop());
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
    // Every window has ended: nothing is marked partial.
    expect(await page.getAttribute("[data-testid=chart-kills]", "data-partial-window")).toBeNull();
    // The legend reads the latest ended window's values without hovering.
    const lastWindow = await pipeline.db
      .collection("player_stats_5m")
      .find({ game_id: "arena", player_id: player, first_seen: { $ne: null } })
      .sort({ window_start: -1 })
      .limit(1)
      .next();
    const legend = () =>
      page.$$eval("[data-testid=chart-kills] .u-legend .u-value", (cells) => cells.map((c) => c.textContent));
    await expect
      .poll(async () => (await legend()).slice(1), { timeout: 10_000 })
      .toEqual([String(lastWindow!.kills), String(lastWindow!.deaths)]);
    await page.screenshot({ path: join(artifacts, "player.png"), fullPage: true });

    // One more kill by the player, 30 s ahead of now: its one-minute window is still open (partial) for a while.
    const own = records
      .map((r) => ({ r, decoded: decodeEvent(r.json) }))
      .map(({ r, decoded }) => ({ r, e: decoded.ok ? (decoded.event as Record<string, unknown>) : {} }))
      .find(({ e }) => e.event_type === "player_kill" && e.player_id === player)!;
    const time = Date.now() + 30_000;
    const open = Math.floor(time / 60_000) * 60_000;
    const kill = {
      key: own.r.key,
      json: JSON.stringify({ ...own.e, event_id: "7e57ab1e-0000-4000-8000-0000000000aa", event_time: time }),
    };
    extra.push(kill);
    await pipeline.feed([kill]);
    await expect
      .poll(() => page.getAttribute("[data-testid=chart-kills]", "data-partial-window"), { timeout: 10_000 })
      .toBe(String(open));
    expect(await page.textContent("[data-testid=chart-kills] figcaption")).toMatch(
      /^Shaded: the open window \d{2}:\d{2}–\d{2}:\d{2} GMT\+1, still filling \(partial\)\.$/,
    );
    // The legend stays on the latest ended window, not on the partial one.
    expect((await legend()).slice(1)).toEqual([String(lastWindow!.kills), String(lastWindow!.deaths)]);
    await page.screenshot({ path: join(artifacts, "player-partial-window.png"), fullPage: true });
  });

  it("an unknown player gets a clear message, not empty charts", async () => {
    await page.goto(`${server.url}/#/players/nobody-here`);
    await page.waitForSelector("[data-testid=player-empty]");
    expect(await page.textContent("[data-testid=player-empty]")).toMatch(
      /^No player “nobody-here” in arena: /,
    );
    expect(await page.isVisible("[data-testid=chart-kd]")).toBe(false);
    await page.screenshot({ path: join(artifacts, "player-unknown.png"), fullPage: true });
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

  it("matches show their status, elapsed time and server; a match page has its scoreboard", async () => {
    await page.goto(`${server.url}/#/matches`);
    const docs = await pipeline.db
      .collection("match_stats")
      .find({ game_id: "arena" })
      .sort({ start: -1, match_id: 1 })
      .limit(50)
      .toArray();
    // The processor wrote every match moments ago: a match without match_end is in progress.
    const expected = docs.map((d) => [
      d.match_id as string,
      d.end !== null ? "finished" : d.start === null ? "no start seen" : "in progress",
    ]);
    expect(
      new Set(expected.map(([, s]) => s)).size,
      "the data has finished and running matches",
    ).toBeGreaterThan(1);
    const statuses = () =>
      page.$$eval("table[data-testid=matches] tbody tr[data-match]", (rows) =>
        rows.map((r) => [r.getAttribute("data-match"), r.getAttribute("data-status")]),
      );
    await expect.poll(statuses, { timeout: 10_000 }).toEqual(expected);
    await page.screenshot({ path: join(artifacts, "matches.png"), fullPage: true });

    // The scoreboard reads match_players, which the processor writes (arena's matchPlayers aggregation): it must
    // equal core's PlayerStats over each player's events in each match, recomputed here from the records fed.
    const rows = matchPlayers([...records, ...extra]);
    const stored = async () =>
      (
        await pipeline.db
          .collection<MatchPlayerDoc>("match_players")
          .find({}, { projection: { kills: 1, deaths: 1, shots: 1 } })
          .toArray()
      )
        .map((d) => [d._id, d.kills, d.deaths, d.shots])
        .sort();
    await expect
      .poll(stored, { timeout: 30_000 })
      .toEqual(rows.map((r) => [r._id, r.kills, r.deaths, r.shots]).sort());
    const match = docs.find((d) => d.end !== null && d.kills > 0)!;
    await page.click(`tr[data-match="${match.match_id}"] a`);
    await page.waitForSelector("table[data-testid=scoreboard] tbody tr[data-player]");
    const board = rows
      .filter((r) => r.match_id === match.match_id)
      .sort((a, b) => b.kills - a.kills || a.deaths - b.deaths || a.player_id.localeCompare(b.player_id))
      .map((r) => [r.player_id, r.kills, r.deaths]);
    const shownBoard = () =>
      page.$$eval("table[data-testid=scoreboard] tbody tr[data-player]", (trs) =>
        trs.map((tr) => [
          tr.getAttribute("data-player"),
          Number(tr.querySelector("[data-col=kills]")?.textContent),
          Number(tr.querySelector("[data-col=deaths]")?.textContent),
        ]),
      );
    await expect.poll(shownBoard, { timeout: 10_000 }).toEqual(board);
    // Two computations agree: the processor's match kills and the players' kills in that match.
    expect(board.reduce((sum, [, kills]) => sum + (kills as number), 0)).toBe(match.kills);
    expect(await page.textContent("[data-testid=match-status]")).toBe("finished");
    expect(match.server_id).toMatch(/./);
    expect(await page.textContent("[data-testid=match-server]")).toBe(match.server_id);
    const duration = Math.round(match.duration_ms / 1000);
    expect(await page.textContent("[data-testid=match-elapsed]")).toBe(
      `${Math.floor(duration / 60)}:${String(duration % 60).padStart(2, "0")}`,
    );
    await page.screenshot({ path: join(artifacts, "match.png"), fullPage: true });

    await page.goto(`${server.url}/#/matches/no-such-match`);
    await page.waitForSelector("[data-testid=match-empty]");
    expect(await page.isVisible("table[data-testid=scoreboard]")).toBe(false);
  });

  it("servers: fps lows and ping highs per window, and a table that compares servers", async () => {
    await page.goto(`${server.url}/#/servers`);
    await expect.poll(() => drawnPixels("chart-ping"), { timeout: 10_000 }).toBeGreaterThan(100);
    await expect.poll(() => drawnPixels("chart-fps"), { timeout: 10_000 }).toBeGreaterThan(100);
    const perf = pipeline.db.collection("server_perf_5m");
    const now = new Date();
    const latest: Document[] = [];
    for (const id of (await perf.distinct("server_id", { game_id: "arena" })) as string[]) {
      const doc = await perf.findOne(
        { game_id: "arena", server_id: id, window_end: { $lte: now } },
        { sort: { window_start: -1 } },
      );
      if (doc !== null) latest.push(doc);
    }
    expect(latest.length).toBeGreaterThan(1);
    // Windows of this short run with perf samples carrying fps have the lows, in order.
    for (const d of latest) {
      if (d.fps === null) continue;
      expect(d.fps.p1, JSON.stringify(d.fps)).toBeLessThanOrEqual(d.fps.p5);
      expect(d.fps.p5, JSON.stringify(d.fps)).toBeLessThanOrEqual(d.fps.p50);
    }
    const p1 = (d: Document) => (d.fps?.p1 as number | undefined) ?? Infinity;
    latest.sort((a, b) => p1(a) - p1(b) || String(a.server_id).localeCompare(String(b.server_id)));
    const two = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const shown = () =>
      page.$$eval("table[data-testid=server-comparison] tbody tr[data-server]", (trs) =>
        trs.map((tr) => [
          tr.getAttribute("data-server"),
          tr.querySelector("[data-col=fps_p1]")?.textContent,
          tr.querySelector("[data-col=ping_p99]")?.textContent,
        ]),
      );
    await expect
      .poll(shown, { timeout: 10_000 })
      .toEqual(
        latest.map((d) => [
          d.server_id,
          d.fps === null ? "–" : two.format(d.fps.p1),
          d.ping_ms === null ? "–" : two.format(d.ping_ms.p99),
        ]),
      );
    await page.screenshot({ path: join(artifacts, "servers.png"), fullPage: true });
  });

  it("pipeline health: processors, rolling events/s and latency, dead letters by cause", async () => {
    // Fresh events just now, so the last minute has traffic.
    const recent = generatedRecords(43, 400, Date.now() - 60_000);
    extra.push(...recent);
    await pipeline.feed(recent);

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
    // Distinct dead letters, read from the dead-letter topic: every generated record the processor must refuse
    // (malformed, or more than --max-future-ms ahead: the data starts ten minutes ago) and the four above.
    const fed = [...records, ...extra];
    const invalidRecords = recomputeExpected(
      fed.map((r) => r.json),
      {
        inputContract: {
          partitions: pipeline.partitions,
          partitionOf: (i) => partitionForKey(fed[i]!.key, pipeline.partitions),
          floorMs: Date.UTC(2000, 0, 1), // the processor's defaults: --min-event-time, --max-future-ms
          maxFutureMs: 3_600_000,
          now: Date.now(),
        },
      },
    ).counts.invalid;
    await expect
      .poll(() => cardValue("health-dead-distinct"), { timeout: 15_000 })
      .toBe(String(invalidRecords + 4));
    expect(await page.textContent("[data-testid=health-dead-distinct] .label")).toMatch(
      new RegExp(`^Dead letters, distinct \\(\\d+ records on ${pipeline.dlqTopic}\\)$`),
    );
    // Rolling over the last minute: events flowed, so events/s is above 0, and the latency quantiles are there.
    const rate = await shownNumber("[data-testid=health-rate] strong");
    expect(rate).toBeGreaterThan(0);
    // A value ("216.82 s"), or the histogram bucket where the buckets are too wide to say more ("300–3,600 s").
    const seconds = async (id: string) => {
      const text = (await cardValue(id)) ?? "";
      expect(text).toMatch(/^(?:[\d,]+\.\d\d|[\d,]+–[\d,]+|> [\d,]+) s$/);
      return Number(/[\d,.]+(?= s$)/.exec(text)![0].replace(/,/g, ""));
    };
    const p50 = await seconds("health-latency-p50");
    expect(await seconds("health-latency-p99")).toBeGreaterThanOrEqual(p50);
    expect(await page.textContent("[data-testid=health-latency-p50] .label")).toMatch(
      /^Latency p50 \(last \d+ s, [\d,]+ events\)$/,
    );
    await page.screenshot({ path: join(artifacts, "health.png"), fullPage: true });
  });
});
