import odatajs from "ts-odatajs";
import type { Db, Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_SETS } from "../src/server/index.js";
import { generatedRecords, startPipeline } from "./support/pipeline.js";
import type { TestPipeline } from "./support/pipeline.js";
import { serveDashboard } from "./support/server.js";
import type { RunningDashboard } from "./support/server.js";

/**
 * The feed read by a real OData client (Apache Olingo's odatajs, from npm) over HTTP, against data written by the
 * real pipeline (generator -> Kafka -> processor -> MongoDB); every answer is checked against MongoDB directly.
 */

interface Feed {
  readonly value: Document[];
  readonly "@odata.nextLink"?: string;
  readonly "@odata.count"?: number;
  readonly "@odata.context"?: string;
}

function read<T>(url: string, handler?: unknown, headers: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    odatajs.oData.read(
      { requestUri: url, headers },
      (data: T) => resolve(data),
      (error) => {
        const response = (error as { response?: { statusCode?: unknown; body?: unknown } }).response;
        reject(
          new Error(
            `${url}: ${error.message} ${String(response?.statusCode ?? "")} ${String(response?.body ?? "")}`,
          ),
        );
      },
      handler as never,
    );
  });
}

/** Follows @odata.nextLink until the last page, as OData clients (and Power BI) do. */
async function readAll(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ rows: Document[]; pages: number }> {
  const rows: Document[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next !== undefined) {
    const page: Feed = await read<Feed>(next, undefined, headers);
    rows.push(...page.value);
    pages += 1;
    next = page["@odata.nextLink"];
    expect(pages).toBeLessThan(100);
  }
  return { rows, pages };
}

let pipeline: TestPipeline;
let server: RunningDashboard;
let db: Db;

beforeAll(async () => {
  pipeline = await startPipeline("dash-odata");
  await pipeline.feed(generatedRecords(21, 4_000));
  db = pipeline.db;
  // A small server page size, so paging is exercised.
  server = await serveDashboard(db, { pageSize: 7 });
});

afterAll(async () => {
  await server?.close();
  await pipeline?.close();
});

describe("OData v4 feed through an OData client", () => {
  it("reads $metadata and lists the entity sets", async () => {
    const metadata = await read<{
      version: string;
      dataServices: {
        schema: {
          entityContainer: { entitySet: { name: string }[] };
          entityType: { name: string; property: { name: string; type: string }[] }[];
        }[];
      };
    }>(`${server.url}/odata/$metadata`, odatajs.oData.metadataHandler);
    expect(metadata.version).toBe("4.0");
    const schema = metadata.dataServices.schema[0]!;
    expect(schema.entityContainer.entitySet.map((s) => s.name)).toEqual([
      "PlayerStats",
      "PlayerStatsWindows",
      "MatchStats",
      "ServerPerformance",
    ]);
    const windowType = schema.entityType.find((t) => t.name === "PlayerStatsWindow")!;
    expect(windowType.property.find((p) => p.name === "window_start")?.type).toBe("Edm.DateTimeOffset");
    expect(windowType.property.find((p) => p.name === "kills")?.type).toBe("Edm.Int64");

    const service = await read<{ value: { name: string; kind: string; url: string }[] }>(
      `${server.url}/odata/`,
    );
    expect(service.value.map((s) => s.name)).toEqual(schema.entityContainer.entitySet.map((s) => s.name));
  });

  it("pages through windows with $filter, $orderby and $top; rows match MongoDB", async () => {
    const since = new Date("2026-01-01T00:01:00Z");
    const mongoFilter = { first_seen: { $ne: null }, kills: { $gte: 1 }, window_start: { $gte: since } };
    const expected = await db
      .collection("player_stats_5m")
      .find(mongoFilter)
      .sort({ kills: -1, player_id: 1, _id: 1 })
      .limit(25)
      .toArray();
    expect(expected.length).toBe(25); // the data is big enough to need four pages of seven
    const query = new URLSearchParams({
      $filter: "kills ge 1 and window_start ge 2026-01-01T00:01:00Z",
      $orderby: "kills desc,player_id asc",
      $top: "25",
      $count: "true",
    });
    const first = await read<Feed>(
      `${server.url}/odata/PlayerStatsWindows?${query.toString().replace(/\+/g, "%20")}`,
    );
    expect(first["@odata.count"]).toBe(await db.collection("player_stats_5m").countDocuments(mongoFilter));
    const { rows, pages } = await readAll(
      `${server.url}/odata/PlayerStatsWindows?${query.toString().replace(/\+/g, "%20")}`,
    );
    expect(pages).toBe(4);
    expect(rows.map((r) => r.id)).toEqual(expected.map((d) => d._id));
    expect(rows.map((r) => [r.player_id, r.kills, r.window_start])).toEqual(
      expected.map((d) => [d.player_id, d.kills, (d.window_start as Date).toISOString()]),
    );
    for (const row of rows) expect(Object.keys(row).some((k) => k.startsWith("_"))).toBe(false);
  });

  it("reads every entity set to the end; counts and $select match MongoDB", async () => {
    const collections: Record<string, string> = {
      PlayerStats: "player_stats",
      PlayerStatsWindows: "player_stats_5m",
      MatchStats: "match_stats",
      ServerPerformance: "server_perf_5m",
    };
    for (const set of ENTITY_SETS) {
      const base = set.name === "PlayerStatsWindows" ? { first_seen: { $ne: null } } : {};
      const ids = (await db.collection(collections[set.name]!).find(base).sort({ _id: 1 }).toArray()).map(
        (d) => d._id,
      );
      expect(ids.length, set.name).toBeGreaterThan(0);
      const { rows } = await readAll(`${server.url}/odata/${set.name}?$select=id,game_id`);
      expect(
        rows.map((r) => r.id),
        set.name,
      ).toEqual(ids);
      expect(
        Object.keys(rows[0]!)
          .filter((k) => !k.startsWith("@"))
          .sort(),
        set.name,
      ).toEqual(["game_id", "id"]);
    }
  });

  it("honours Prefer: odata.maxpagesize and $skip", async () => {
    const expected = (
      await db.collection("player_stats").find({}).sort({ kills: -1, _id: 1 }).skip(2).toArray()
    ).map((d) => d._id);
    const { rows, pages } = await readAll(
      `${server.url}/odata/PlayerStats?$orderby=kills%20desc&$skip=2&$select=id`,
      {
        Prefer: "odata.maxpagesize=3",
      },
    );
    expect(rows.map((r) => r.id)).toEqual(expected);
    expect(pages).toBe(Math.max(1, Math.ceil(expected.length / 3)));
  });

  it("serves the same rows as CSV", async () => {
    const response = await fetch(
      `${server.url}/export/MatchStats.csv?$select=id,players,kills,top_killer_id&$orderby=kills%20desc`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await response.text()).trim().split("\n");
    expect(lines[0]).toBe("id,players,kills,top_killer_id");
    const docs = await db.collection("match_stats").find({}).sort({ kills: -1, _id: 1 }).toArray();
    expect(lines.slice(1)).toEqual(
      docs.map((d) =>
        [d._id, d.players, d.kills, (d.top_killer as { player_id: string } | null)?.player_id ?? ""].join(
          ",",
        ),
      ),
    );
  });
});
