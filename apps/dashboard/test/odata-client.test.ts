import odatajs from "ts-odatajs";
import type { Db, Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_SETS } from "../src/server/index.js";
import { matchPlayers } from "./support/matchPlayers.js";
import type { MatchPlayerDoc } from "./support/matchPlayers.js";
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
  const records = generatedRecords(21, 4_000);
  await pipeline.feed(records);
  db = pipeline.db;
  // The processor writes match_players too; the test's recomputation (the same content) is upserted over it.
  await db.collection<MatchPlayerDoc>("match_players").bulkWrite(
    matchPlayers(records).map((doc) => ({
      replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true },
    })),
  );
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
      "MatchPlayers",
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
      MatchPlayers: "match_players",
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

describe("OData for Power BI refreshes", () => {
  it("pages as a keyset: rows written between pages shift nothing, no row twice, none skipped", async () => {
    const windows = db.collection<{ _id: string } & Document>("player_stats_5m");
    const before = (
      await windows
        .find({ first_seen: { $ne: null } })
        .project({ _id: 1 })
        .toArray()
    ).map((d) => d._id as string);
    expect(before.length).toBeGreaterThan(21); // several pages of seven
    let url: string | undefined =
      `${server.url}/odata/PlayerStatsWindows?$orderby=kills%20desc&$select=id,kills`;
    const seen: string[] = [];
    const inserted: string[] = [];
    let pages = 0;
    try {
      while (url !== undefined) {
        const page: Feed = await read<Feed>(url);
        seen.push(...page.value.map((r) => r.id as string));
        pages += 1;
        // Between pages: new rows that sort before the position reached (an offset would repeat rows), and a
        // change to rows not delivered yet that keeps their sort key.
        const fresh = [0, 1, 2].map((i) => ({
          _id: `zz-concurrent-${pages}-${i}`,
          game_id: "arena",
          player_id: "zz",
          kills: 100_000 - pages,
          first_seen: new Date(),
          window_start: new Date(),
        }));
        inserted.push(...fresh.map((d) => d._id));
        await windows.insertMany(fresh);
        await windows.updateMany({ _id: { $nin: seen } }, { $inc: { deaths: 1 } });
        url = page["@odata.nextLink"];
      }
    } finally {
      await windows.deleteMany({ _id: { $in: inserted } });
      await windows.updateMany({}, { $inc: { deaths: -pages } }).catch(() => undefined);
    }
    expect(pages).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => !id.startsWith("zz-")).sort()).toEqual([...before].sort());
  });

  it("the new $filter functions give the rows MongoDB holds, through the OData client", async () => {
    const players = await db
      .collection<{ _id: string } & Document>("player_stats")
      .find({})
      .sort({ _id: 1 })
      .toArray();
    const ids = (filter: string) =>
      readAll(`${server.url}/odata/PlayerStats?$select=id&$filter=${encodeURIComponent(filter)}`).then((r) =>
        r.rows.map((row) => row.id as string).sort(),
      );
    const all = players.map((p) => p._id as string).sort();
    const [first, second] = [players[0]!, players[1]!];

    const upper = (first.player_id as string).toUpperCase();
    expect(await ids(`toupper(player_id) eq '${upper}'`)).toEqual([first._id]);
    expect(await ids(`tolower(player_id) eq '${upper}'`)).toEqual([]);
    expect(await ids(`contains(tolower(player_id),'${(first.player_id as string).slice(0, 8)}')`)).toEqual(
      players
        .filter((p) => (p.player_id as string).includes((first.player_id as string).slice(0, 8)))
        .map((p) => p._id)
        .sort(),
    );
    expect(await ids(`player_id in ('${first.player_id}','${second.player_id}','nobody')`)).toEqual(
      [first._id, second._id].sort(),
    );
    const firstSeen = (p: Document) => p.first_seen as Date;
    const hour = firstSeen(first).getUTCHours();
    expect(
      await ids(`year(first_seen) eq ${firstSeen(first).getUTCFullYear()} and hour(first_seen) eq ${hour}`),
    ).toEqual(
      players
        .filter(
          (p) =>
            firstSeen(p).getUTCFullYear() === firstSeen(first).getUTCFullYear() &&
            firstSeen(p).getUTCHours() === hour,
        )
        .map((p) => p._id)
        .sort(),
    );
    expect(await ids(`month(first_seen) ge 1 and day(first_seen) le 31`)).toEqual(all);
    expect(await ids("last_seen lt now()")).toEqual(all);
    await expect(
      read<Feed>(`${server.url}/odata/PlayerStats?$filter=year(player_id)%20eq%202026`),
    ).rejects.toThrow(/400/);
  });

  it("reads one entity by its key; an unknown key is a 404", async () => {
    const doc = (await db.collection("player_stats").findOne({}, { sort: { _id: 1 } }))!;
    const id = String(doc._id);
    const entity = await read<Document>(`${server.url}/odata/PlayerStats('${encodeURIComponent(id)}')`);
    expect(entity["@odata.context"]).toMatch(/\$metadata#PlayerStats\/\$entity$/);
    expect(entity).toMatchObject({ id, player_id: doc.player_id, kills: doc.kills, deaths: doc.deaths });
    await expect(read<Document>(`${server.url}/odata/PlayerStats('arena:nobody')`)).rejects.toThrow(/404/);
  });

  it("keeps an api_key given in the URL in the next links; CSV starts with a UTF-8 BOM", async () => {
    const key = "a-key-of-twenty-chars";
    const keyed = await serveDashboard(db, { pageSize: 7, apiKeys: [key] });
    try {
      const expected = await db.collection("player_stats_5m").countDocuments({ first_seen: { $ne: null } });
      const { rows, pages } = await readAll(
        `${keyed.url}/odata/PlayerStatsWindows?$select=id&api_key=${key}`,
      );
      expect(pages).toBeGreaterThan(1);
      expect(rows.length).toBe(expected);
      const csv = new Uint8Array(
        await (await fetch(`${keyed.url}/export/PlayerStats.csv?api_key=${key}`)).arrayBuffer(),
      );
      expect([...csv.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    } finally {
      await keyed.close();
    }
  });
});
