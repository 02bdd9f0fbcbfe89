import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "mongodb";
import { describe, expect, it } from "vitest";
import { createDashboard } from "./createDashboard.js";
import type { DashboardDeps } from "./createDashboard.js";
import { createPipelineHealth } from "./health/PipelineHealth.js";

/**
 * A database that must not be queried: getting a collection handle is fine (it sends nothing), any operation on it
 * fails the test, since these requests must be answered before anything reaches MongoDB.
 */
const tripwire = (what: string): object =>
  new Proxy(
    {},
    {
      get(_target, name) {
        throw new Error(`MongoDB was used (${what}.${String(name)})`);
      },
    },
  );
const untouchable = new Proxy({} as Db, {
  get(_target, name) {
    if (name === "collection") return (collection: string) => tripwire(collection);
    throw new Error(`MongoDB was used (db.${String(name)})`);
  },
});

const KEY = "k".repeat(24);
const config: DashboardDeps["config"] = {
  metricsUrls: [],
  apiKeys: [],
  apiKeyHeader: "x-api-key",
  apiKeyParam: "api_key",
  corsOrigins: [],
  pageSize: 100,
  livePollMs: 60_000,
  publicUrl: null,
  staticDir: null,
};

function dashboard(overrides: Partial<DashboardDeps["config"]> = {}) {
  return createDashboard({
    db: untouchable,
    config: { ...config, ...overrides },
    health: createPipelineHealth({ urls: [] }),
  });
}

describe("dashboard routes without MongoDB", () => {
  it("serves the service document and $metadata with OData-Version 4.0", async () => {
    const { app, close } = dashboard();
    for (const path of ["/odata", "/odata/"]) {
      const res = await app.request(`http://dash${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("odata-version")).toBe("4.0");
      expect(((await res.json()) as { value: unknown[] }).value).toHaveLength(5);
    }
    const metadata = await app.request("http://dash/odata/$metadata");
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get("content-type")).toMatch(/^application\/xml/);
    expect(await metadata.text()).toContain('<EntitySet Name="PlayerStats"');
    expect(await (await app.request("http://dash/odata/$metadata")).text()).toContain(
      '<EntitySet Name="MatchPlayers"',
    );
    close();
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"])("refuses %s everywhere (read-only)", async (method) => {
    const { app, close } = dashboard();
    for (const path of ["/odata/PlayerStats", "/odata/$batch", "/api/views/leaderboard", "/"]) {
      const res = await app.request(`http://dash${path}`, { method, body: "{}" });
      expect(res.status).toBe(405);
    }
    const res = await app.request("http://dash/odata/PlayerStats", { method });
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("MethodNotAllowed");
    close();
  });

  it("answers unknown entity sets and resources with an OData 404", async () => {
    const { app, close } = dashboard();
    for (const path of [
      "/odata/Players",
      "/odata/Players('arena:p1')",
      "/odata/$batch",
      "/export/Nope.csv",
    ]) {
      const res = await app.request(`http://dash${path}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NotFound");
    }
    close();
  });

  it("refuses bad queries with a 400 before MongoDB", async () => {
    const { app, close } = dashboard();
    for (const query of [
      "$filter=kills eq {'$gt':0}",
      "$filter=_state ne null",
      "$select=_partition",
      "$orderby=$natural",
      "$where=1",
      "$top=-1",
      "$expand=x",
    ]) {
      const res = await app.request(`http://dash/odata/PlayerStats?${query.replace(/ /g, "%20")}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("odata-version")).toBe("4.0");
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toMatch(/^[A-Za-z]+$/);
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    const csv = await app.request("http://dash/export/PlayerStats.csv?$count=true");
    expect(csv.status).toBe(400);
    close();
  });

  it("needs the API key when keys are configured: header, bearer or query parameter", async () => {
    const { app, close } = dashboard({ apiKeys: [KEY] });
    expect((await app.request("http://dash/odata/$metadata")).status).toBe(401);
    expect((await app.request("http://dash/odata")).status).toBe(401);
    expect((await app.request("http://dash/export/PlayerStats.csv")).status).toBe(401);
    const wrong = await app.request("http://dash/odata/$metadata", {
      headers: { "x-api-key": "x".repeat(24) },
    });
    expect(wrong.status).toBe(401);
    const refused = (await wrong.json()) as { error: { code: string; message: string } };
    expect(refused.error.code).toBe("Unauthorized");
    expect(refused.error.message).toBe(
      "this API key is not valid for this feed: check it against GAMETEL_ODATA_API_KEYS of the dashboard",
    );
    const missing = (await (await app.request("http://dash/odata")).json()) as { error: { message: string } };
    expect(missing.error.message).toBe(
      "an API key is required: send it in the x-api-key header or the api_key query parameter",
    );
    expect((await app.request("http://dash/odata/$metadata", { headers: { "x-api-key": KEY } })).status).toBe(
      200,
    );
    expect(
      (await app.request("http://dash/odata/$metadata", { headers: { authorization: `Bearer ${KEY}` } }))
        .status,
    ).toBe(200);
    expect((await app.request(`http://dash/odata/$metadata?api_key=${KEY}`)).status).toBe(200);
    expect((await app.request(`http://dash/odata?api_key=${KEY}`)).status).toBe(200);
    close();
  });

  it.each([
    ["an empty header", { "x-api-key": "" }],
    ["a blank header", { "x-api-key": "   " }],
    ["an empty bearer", { authorization: "Bearer " }],
    ["another scheme", { authorization: "Basic abc" }],
  ])("reads a valid api_key parameter beside %s (empty means absent, everywhere)", async (_what, headers) => {
    const { app, close } = dashboard({ apiKeys: [KEY] });
    expect((await app.request(`http://dash/odata/$metadata?api_key=${KEY}`, { headers })).status).toBe(200);
    expect((await app.request("http://dash/odata/$metadata", { headers })).status).toBe(401);
    close();
  });

  it("refuses a request that carries a wrong key anywhere, even beside a valid one", async () => {
    const { app, close } = dashboard({ apiKeys: [KEY] });
    const wrong = "w".repeat(24);
    for (const [url, headers] of [
      [`http://dash/odata/$metadata?api_key=${KEY}`, { "x-api-key": wrong }],
      [`http://dash/odata/$metadata?api_key=${wrong}`, { "x-api-key": KEY }],
      ["http://dash/odata/$metadata", { "x-api-key": KEY, authorization: `Bearer ${wrong}` }],
    ] as const) {
      expect((await app.request(url, { headers })).status, JSON.stringify(headers)).toBe(401);
    }
    expect(
      (await app.request(`http://dash/odata/$metadata?api_key=${KEY}`, { headers: { "x-api-key": KEY } }))
        .status,
    ).toBe(200);
    close();
  });

  it("sends no CORS headers unless origins are configured", async () => {
    const off = dashboard();
    const res = await off.app.request("http://dash/odata/$metadata", {
      headers: { origin: "https://evil.example" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    off.close();
    const on = dashboard({ corsOrigins: ["https://app.example"] });
    const allowed = await on.app.request("http://dash/odata/$metadata", {
      headers: { origin: "https://app.example" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const other = await on.app.request("http://dash/odata/$metadata", {
      headers: { origin: "https://evil.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    on.close();
  });

  it("answers HEAD like GET, without a body", async () => {
    const { app, close } = dashboard();
    const res = await app.request("http://dash/odata/$metadata", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    close();
  });

  it("streams a live view as server-sent events, first message at once", async () => {
    const { app, hub, close } = dashboard();
    const res = await app.request("http://dash/api/live?view=health");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    const text = new TextDecoder().decode(value);
    expect(text).toMatch(/^event: view\ndata: \{"view":"health","data":\{"time":\d+,"targets":\[\]/);
    expect(hub.size).toBe(1);
    await reader.cancel();
    await expect.poll(() => hub.size).toBe(0);
    close();
  });

  it("validates the API's view parameters", async () => {
    const { app, close } = dashboard();
    for (const path of [
      "/api/views/nope",
      "/api/views/leaderboard?sort=$where",
      "/api/views/leaderboard?limit=1000",
      "/api/views/leaderboard?game[$ne]=x",
      "/api/views/leaderboard?min=-1",
      "/api/views/leaderboard?min=10001",
      "/api/views/leaderboard?min=1.5",
      "/api/views/leaderboard?basis=kills",
      "/api/views/leaderboard?basis[$gt]=",
      "/api/views/player?game=arena",
      "/api/live?view=leaderboard&extra=1",
    ]) {
      expect((await app.request(`http://dash${path}`)).status, path).toBe(400);
    }
    close();
  });
});

describe("read-only by construction", () => {
  it("the server code calls no MongoDB write or admin method", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(join(dir, e.name))
          : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
            ? [join(dir, e.name)]
            : [],
      );
    const writes =
      /\.(insertOne|insertMany|updateOne|updateMany|replaceOne|deleteOne|deleteMany|bulkWrite|findOneAndUpdate|findOneAndReplace|findOneAndDelete|createIndex|createIndexes|drop|dropDatabase|dropIndex|createCollection|rename|aggregate|watch|command)\(/;
    const offenders = files(import.meta.dirname).filter((f) => writes.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
