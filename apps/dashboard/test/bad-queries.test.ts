import type { CommandStartedEvent, Db, Document } from "mongodb";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedRecords, startPipeline } from "./support/pipeline.js";
import type { TestPipeline } from "./support/pipeline.js";
import { serveDashboard } from "./support/server.js";
import type { RunningDashboard } from "./support/server.js";

/**
 * Bad queries get a 400 in OData's error format and never reach MongoDB: the dashboard's client runs with command
 * monitoring, so every command the driver sends to the server is seen.
 */

let pipeline: TestPipeline;
let client: MongoClient;
let server: RunningDashboard;
const commands: { name: string; command: Document }[] = [];
const QUERY_COMMANDS = new Set(["find", "aggregate", "count", "distinct", "getMore", "mapReduce"]);

beforeAll(async () => {
  pipeline = await startPipeline("dash-bad");
  await pipeline.feed(generatedRecords(31, 2_000));
  client = new MongoClient(pipeline.mongoUri, {
    monitorCommands: true,
    readPreference: "secondaryPreferred",
  });
  client.on("commandStarted", (event: CommandStartedEvent) => {
    if (QUERY_COMMANDS.has(event.commandName))
      commands.push({ name: event.commandName, command: event.command });
  });
  await client.connect();
  server = await serveDashboard(client.db(pipeline.dbName) as Db, { apiKeys: ["a-key-of-twenty-chars"] });
});

afterAll(async () => {
  await server?.close();
  await client?.close();
  await pipeline?.close();
});

const KEY = { "x-api-key": "a-key-of-twenty-chars" };

async function get(path: string, headers: Record<string, string> = KEY) {
  const response = await fetch(`${server.url}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

describe("bad queries", () => {
  it.each([
    [
      "a MongoDB operator object as the filter",
      "/odata/PlayerStats?$filter=" + encodeURIComponent('{"kills":{"$gt":0}}'),
    ],
    [
      "an operator object as a value",
      "/odata/PlayerStats?$filter=" + encodeURIComponent("kills eq {'$gt':0}"),
    ],
    ["a $where query option", "/odata/PlayerStats?$where=" + encodeURIComponent("this.kills > 0")],
    ["operator-shaped parameter names", "/odata/PlayerStats?kills%5B%24gt%5D=0"],
    ["an unknown property in $filter", "/odata/PlayerStats?$filter=" + encodeURIComponent("password eq 'x'")],
    ["a private field in $filter", "/odata/PlayerStats?$filter=" + encodeURIComponent("_state ne null")],
    ["a private field in $select", "/odata/PlayerStats?$select=_offset"],
    ["an unknown property in $orderby", "/odata/MatchStats?$orderby=" + encodeURIComponent("$natural desc")],
    ["a syntax error", "/odata/PlayerStats?$filter=" + encodeURIComponent("kills gt 5 and")],
    ["an unbalanced parenthesis", "/odata/PlayerStats?$filter=" + encodeURIComponent("(kills gt 5")],
    ["a type mismatch", "/odata/PlayerStats?$filter=" + encodeURIComponent("kills eq 'many'")],
    [
      "an invalid date",
      "/odata/PlayerStatsWindows?$filter=" + encodeURIComponent("window_start ge 2026-13-01T00:00:00Z"),
    ],
    [
      "null with an ordering operator",
      "/odata/PlayerStats?$filter=" + encodeURIComponent("avg_survival_ms gt null"),
    ],
    [
      "a date function on a string",
      "/odata/PlayerStats?$filter=" + encodeURIComponent("year(player_id) eq 2026"),
    ],
    [
      "case folding compared with gt",
      "/odata/PlayerStats?$filter=" + encodeURIComponent("tolower(player_id) gt 'a'"),
    ],
    ["an in list of the wrong type", "/odata/PlayerStats?$filter=" + encodeURIComponent("kills in ('a')")],
    ["a key that is not a string literal", "/odata/PlayerStats(42)"],
    ["an unsupported function", "/odata/PlayerStats?$filter=" + encodeURIComponent("floor(kills) eq 1")],
    ["a negative $top", "/odata/PlayerStats?$top=-5"],
    ["a non-numeric $skip", "/odata/PlayerStats?$skip=abc"],
    ["a bad $count", "/odata/PlayerStats?$count=maybe"],
    ["a forged $skiptoken", "/odata/PlayerStats?$skiptoken=" + encodeURIComponent('{"$gt":""}')],
    ["an unsupported $expand", "/odata/MatchStats?$expand=players"],
    ["a repeated option", "/odata/PlayerStats?$top=1&$top=2"],
    [
      "a filter nested too deep",
      "/odata/PlayerStats?$filter=" + encodeURIComponent(`${"(".repeat(30)}kills eq 1${")".repeat(30)}`),
    ],
    [
      "a bad $filter on the CSV download",
      "/export/PlayerStats.csv?$filter=" + encodeURIComponent("kills eq {}"),
    ],
    ["a bad $filter on /$count", "/odata/PlayerStats/$count?$filter=" + encodeURIComponent("kills gt")],
  ])("%s -> 400 with an OData error, nothing sent to MongoDB", async (_what, path) => {
    commands.length = 0;
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(response.headers.get("odata-version")).toBe("4.0");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = JSON.parse(response.text) as { error: { code: string; message: string; target?: string } };
    expect(Object.keys(body)).toEqual(["error"]);
    expect(typeof body.error.code).toBe("string");
    expect(body.error.message.length).toBeGreaterThan(5);
    expect(commands).toEqual([]);
  });

  it("refuses requests without the API key, before MongoDB", async () => {
    commands.length = 0;
    const response = await get("/odata/PlayerStats", {});
    expect(response.status).toBe(401);
    expect((JSON.parse(response.text) as { error: { code: string } }).error.code).toBe("Unauthorized");
    expect(commands).toEqual([]);
  });

  it("sends operator-looking strings to MongoDB as plain string values", async () => {
    commands.length = 0;
    const all = await pipeline.db.collection("player_stats").countDocuments();
    expect(all).toBeGreaterThan(0);
    for (const literal of ["$ne", '{"$gt":""}', ".*", "player-0001' or kills gt 0 or player_id eq '"]) {
      const filter = `player_id eq '${literal.replace(/'/g, "''")}'`;
      const response = await get(`/odata/PlayerStats?$count=true&$filter=${encodeURIComponent(filter)}`);
      expect(response.status).toBe(200);
      const body = JSON.parse(response.text) as { "@odata.count": number; value: unknown[] };
      expect(body["@odata.count"]).toBe(0);
      expect(body.value).toEqual([]);
    }
    const filters = commands.filter((c) => c.name === "find").map((c) => c.command.filter as Document);
    expect(filters).toContainEqual({ player_id: { $eq: "$ne" } });
    expect(filters).toContainEqual({ player_id: { $eq: '{"$gt":""}' } });
    expect(filters).toContainEqual({ player_id: { $eq: "player-0001' or kills gt 0 or player_id eq '" } });
  });

  it("refuses writes", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const response = await fetch(`${server.url}/odata/PlayerStats`, { method, headers: KEY, body: "{}" });
      expect(response.status).toBe(405);
    }
    expect(await pipeline.db.collection("player_stats").countDocuments()).toBeGreaterThan(0);
  });
});
