import { mongoUri, uniqueName } from "@gametel/devstack";
import type { CommandStartedEvent, Db } from "mongodb";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mongoClientOptions } from "../src/server/index.js";
import { serveDashboard } from "./support/server.js";
import type { RunningDashboard } from "./support/server.js";
import { startTcpProxy } from "./support/tcpProxy.js";
import type { TcpProxy } from "./support/tcpProxy.js";

/**
 * The dashboard under hostile clients, over real HTTP and the local stack's MongoDB: expensive filters, MongoDB
 * hanging or down, request bursts, live-stream floods and export floods. Every wait is bounded (AbortSignal
 * timeouts), so a regression fails in seconds instead of hanging; the file runs in well under a minute.
 */

const ROWS = 12_000;
const dbName = uniqueName("dash-hostile");
let seeder: MongoClient;
let db: Db;
const open: { close(): Promise<void> }[] = [];

/** Load for the limits below: 12k player rows in the processors' shape (the feed reads them as it reads theirs). */
beforeAll(async () => {
  seeder = await MongoClient.connect(mongoUri());
  db = seeder.db(dbName);
  const now = Date.now();
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const player = `player-${String(i).padStart(5, "0")}`;
    return {
      _id: `arena:${player}`,
      game_id: "arena",
      player_id: player,
      kills: i % 97,
      deaths: i % 13,
      kd_ratio: (i % 97) / ((i % 13) + 1),
      matches: 1 + (i % 5),
      first_seen: new Date(now - i * 1000),
      last_seen: new Date(now),
      updated_at: new Date(now),
    };
  });
  for (let i = 0; i < rows.length; i += 3_000) {
    await db
      .collection<{ _id: string }>("player_stats")
      .insertMany(rows.slice(i, i + 3_000), { ordered: false });
  }
}, 120_000);

afterAll(async () => {
  for (const thing of open.reverse()) await thing.close().catch(() => undefined);
  await db?.dropDatabase().catch(() => undefined);
  await seeder?.close();
});

async function serve(...args: Parameters<typeof serveDashboard>): Promise<RunningDashboard> {
  const server = await serveDashboard(...args);
  open.push(server);
  return server;
}

/** A dashboard client reading MongoDB through a TCP proxy (as main.ts connects, with the query timeout). */
async function behindProxy(queryTimeoutMs: number): Promise<{ proxy: TcpProxy; db: Db }> {
  const target = new URL(mongoUri());
  expect(target.protocol, "these tests need the local stack's MongoDB (mongodb://host:port)").toBe(
    "mongodb:",
  );
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
  const client = new MongoClient(`mongodb://127.0.0.1:${proxy.port}/?directConnection=true`, {
    ...mongoClientOptions({ readPreference: "primary", queryTimeoutMs }, "hostile-test"),
  });
  await client.connect();
  open.push({ close: () => client.close(true) }, proxy);
  return { proxy, db: client.db(dbName) };
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: { error?: { code: string; message: string } } & Record<string, unknown>;
  readonly ms: number;
}

async function get(url: string, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  const body = (text.startsWith("{") ? JSON.parse(text) : { text }) as Answer["body"];
  return { status: response.status, headers: response.headers, body, ms: Date.now() - started };
}

const expensive = `/odata/PlayerStats?$filter=${encodeURIComponent(`contains(player_id,'${"x".repeat(1975)}')`)}`;

describe("expensive queries", () => {
  it("a 1,975-character contains is a 400 at once, eight in parallel, while $top=1 stays fast", async () => {
    const server = await serve(db);
    const attack = Array.from({ length: 8 }, () => get(`${server.url}${expensive}`));
    const small = await get(`${server.url}/odata/PlayerStats?$top=1`);
    const answers = await Promise.all(attack);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe("FilterTooExpensive");
      expect(answer.ms).toBeLessThan(3_000);
    }
    expect(small.status).toBe(200);
    expect(small.ms).toBeLessThan(3_000);
    expect((small.body["value"] as unknown[]).length).toBe(1);
  });

  it("every read that reaches MongoDB carries maxTimeMS: the feed, $count, keys, the views and the export", async () => {
    const monitored = new MongoClient(mongoUri(), { monitorCommands: true });
    const seen: { name: string; maxTimeMS: unknown }[] = [];
    monitored.on("commandStarted", (event: CommandStartedEvent) => {
      if (["find", "aggregate", "count", "distinct", "getMore"].includes(event.commandName)) {
        seen.push({ name: event.commandName, maxTimeMS: event.command["maxTimeMS"] });
      }
    });
    await monitored.connect();
    open.push({ close: () => monitored.close() });
    const server = await serve(monitored.db(dbName), { queryTimeoutMs: 4_000, exportTimeoutMs: 60_000 });
    for (const path of [
      "/odata/PlayerStats?$top=5&$count=true&$filter=kills gt 3",
      "/odata/PlayerStats/$count",
      "/odata/PlayerStats('arena:player-00001')",
      "/api/views/games",
      "/api/views/leaderboard?q=player-0001",
      "/api/views/player?game=arena&player=player-00001",
      "/api/views/matches",
      "/api/views/servers",
    ]) {
      expect((await get(`${server.url}${path}`)).status, path).toBe(200);
    }
    const reads = seen.filter((s) => s.name !== "getMore");
    expect(reads.length).toBeGreaterThanOrEqual(10);
    expect(reads.filter((s) => s.maxTimeMS !== 4_000)).toEqual([]);
    seen.length = 0;
    const csv = await fetch(`${server.url}/export/PlayerStats.csv?$top=10`, {
      signal: AbortSignal.timeout(15_000),
    });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split("\n").length).toBe(12);
    expect(seen.filter((s) => s.name === "find").map((s) => s.maxTimeMS)).toEqual([60_000]);
  });
});

describe("MongoDB hanging or down", () => {
  it("a MongoDB that stops answering: 503 QueryTimeout after the deadline, not a hang", async () => {
    const { proxy, db: proxied } = await behindProxy(1_000);
    const server = await serve(proxied, { queryTimeoutMs: 1_000 });
    expect((await get(`${server.url}/odata/PlayerStats?$top=1`)).status).toBe(200);
    proxy.stall();
    for (const path of ["/odata/PlayerStats?$top=1", "/api/views/leaderboard"]) {
      const answer = await get(`${server.url}${path}`);
      expect(answer.status, path).toBe(503);
      expect(answer.body.error?.code, path).toBe("QueryTimeout");
      expect(Number(answer.headers.get("retry-after")), path).toBeGreaterThan(0);
      expect(answer.ms, path).toBeGreaterThanOrEqual(1_000);
      expect(answer.ms, path).toBeLessThan(5_000);
    }
  });

  it("MongoDB down: 503 DatabaseUnavailable within the query timeout, and answers again once MongoDB is back", async () => {
    const { proxy, db: proxied } = await behindProxy(1_000);
    const server = await serve(proxied, { queryTimeoutMs: 1_000 });
    expect((await get(`${server.url}/odata/PlayerStats?$top=1`)).status).toBe(200);
    await proxy.cut();
    for (const path of ["/odata/PlayerStats?$top=1", "/odata/PlayerStats/$count", "/api/views/games"]) {
      const answer = await get(`${server.url}${path}`);
      expect(answer.status, path).toBe(503);
      expect(answer.body.error?.code, path).toBe("DatabaseUnavailable");
      expect(answer.body.error?.message, path).toMatch(/^MongoDB is not answering/);
      expect(answer.headers.get("retry-after"), path).toBe("5");
      expect(answer.ms, path).toBeLessThan(5_000);
    }
    expect((await get(`${server.url}/healthz`)).status).toBe(200);
    await proxy.restore();
    await expect
      .poll(async () => (await get(`${server.url}/odata/PlayerStats?$top=1`)).status, { timeout: 15_000 })
      .toBe(200);
  });
});

describe("bursts and floods", () => {
  it("rate limit: 429 with Retry-After past the limit, per client", async () => {
    const server = await serve(db, { rateLimit: 40, rateLimitWindowMs: 10_000, trustProxy: true });
    const burst = await Promise.all(
      Array.from({ length: 60 }, () =>
        get(`${server.url}/odata/PlayerStats?$top=1`, { "x-forwarded-for": "10.1.1.1" }),
      ),
    );
    const limited = burst.filter((a) => a.status === 429);
    expect(burst.filter((a) => a.status === 200)).toHaveLength(40);
    expect(limited).toHaveLength(20);
    for (const answer of limited) {
      expect(answer.body.error?.code).toBe("TooManyRequests");
      const retryAfter = Number(answer.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(10);
    }
    expect((await get(`${server.url}/api/views/games`, { "x-forwarded-for": "10.1.1.1" })).status).toBe(429);
    expect(
      (await get(`${server.url}/odata/PlayerStats?$top=1`, { "x-forwarded-for": "10.1.1.2" })).status,
    ).toBe(200);
  });

  it("rate limit: without --trust-proxy a forged X-Forwarded-For does not make a new client", async () => {
    const server = await serve(db, { rateLimit: 10, rateLimitWindowMs: 10_000 });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await get(`${server.url}/odata`, { "x-forwarded-for": `10.9.0.${i}` })).status);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it("live streams: a client gets its share, a flood is shed, and a new user still gets in", async () => {
    const server = await serve(db, { trustProxy: true, liveStreamsPerClient: 3, liveMaxViews: 6 });
    const streams: {
      from: string;
      reader: ReadableStreamDefaultReader<Uint8Array>;
      abort: AbortController;
    }[] = [];
    const live = async (from: string, q: string) => {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), 20_000);
      open.push({ close: async () => (clearTimeout(timer), abort.abort()) });
      const response = await fetch(`${server.url}/api/live?view=leaderboard&q=${q}`, {
        headers: { "x-forwarded-for": from },
        signal: abort.signal,
      });
      if (response.status === 200) streams.push({ from, reader: response.body!.getReader(), abort });
      return response;
    };
    const readUntil = async (reader: ReadableStreamDefaultReader<Uint8Array>, what: string) => {
      let text = "";
      while (!text.includes(what)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return text;
    };
    for (const from of ["10.2.0.1", "10.2.0.2"]) {
      for (const q of ["a", "b", "c"]) expect((await live(from, `${from}-${q}`)).status).toBe(200);
    }
    expect(server.dashboard.hub.size).toBe(6);
    const over = await live("10.2.0.1", "one-more");
    expect(over.status).toBe(429);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe("TooManyLiveStreams");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);

    const newcomer = await live("10.2.0.9", "newcomer");
    expect(newcomer.status).toBe(200);
    const first = await readUntil(streams.at(-1)!.reader, "event: view");
    expect(first).toContain('"view":"leaderboard"');
    // The oldest stream of a client holding the most was ended with a "shed" event and a reconnect delay.
    const oldest = streams[0]!;
    const shed = await readUntil(oldest.reader, "event: shed");
    expect(shed).toMatch(/event: shed\ndata: too many live views; reconnecting later\nretry: 60000/);
    expect((await oldest.reader.read()).done).toBe(true);
    expect(server.dashboard.hub.size).toBe(6);
    for (const stream of streams) stream.abort.abort();
  });

  it("CSV exports: at most the cap at once, 503 with Retry-After beyond it, a slot frees when a download ends", async () => {
    // Exports held open by a MongoDB that is slow to answer (a 12k-row CSV fits in the loopback socket buffers, so
    // a slow reader alone would not keep one running).
    const { proxy, db: proxied } = await behindProxy(2_000);
    const server = await serve(proxied, { maxExports: 2 });
    expect((await get(`${server.url}/export/PlayerStats.csv?$top=1`)).status).toBe(200);
    proxy.stall();
    const downloads = await Promise.all(
      [0, 1].map(async () => {
        const abort = new AbortController();
        open.push({ close: async () => abort.abort() });
        const response = await fetch(`${server.url}/export/PlayerStats.csv`, {
          signal: AbortSignal.any([abort.signal, AbortSignal.timeout(20_000)]),
        });
        return { response, abort };
      }),
    );
    for (const { response } of downloads) expect(response.status).toBe(200);
    const third = await get(`${server.url}/export/PlayerStats.csv`);
    expect(third.status).toBe(503);
    expect(third.body.error?.code).toBe("TooManyExports");
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    downloads[0]!.abort.abort();
    await expect
      .poll(
        async () => {
          const abort = new AbortController();
          const answer = await fetch(`${server.url}/export/PlayerStats.csv`, {
            signal: AbortSignal.any([abort.signal, AbortSignal.timeout(5_000)]),
          });
          abort.abort(); // the download ends from the client's side: its slot frees at once
          return answer.status;
        },
        { timeout: 10_000 },
      )
      .toBe(200);
    downloads[1]!.abort.abort();
  });
});
