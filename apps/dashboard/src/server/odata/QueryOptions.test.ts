import { describe, expect, it, test } from "vitest";
import { ENTITY_SETS } from "./EntitySets.js";
import { ODataError } from "./ODataError.js";
import { checkDocumentOptions, parseQueryOptions } from "./QueryOptions.js";
import { encodeSkiptoken } from "./Keyset.js";

const players = ENTITY_SETS.find((s) => s.name === "PlayerStats")!;
const windows = ENTITY_SETS.find((s) => s.name === "PlayerStatsWindows")!;
const rules = { paging: true, apiKeyParam: "api_key" };
const parse = (query: string, set = players, r = rules) =>
  parseQueryOptions(set, new URLSearchParams(query), r);

function refused(query: string, r = rules): ODataError {
  try {
    parse(query, players, r);
  } catch (error) {
    if (error instanceof ODataError) return error;
    throw error;
  }
  throw new Error(`accepted: ${query}`);
}

describe("query options", () => {
  it("defaults: every property, no filter, key order, first page", () => {
    const q = parse("");
    expect(q.select.map((p) => p.name)).toEqual(players.properties.map((p) => p.name));
    expect(q).toMatchObject({
      filter: {},
      sort: [["_id", 1]],
      top: undefined,
      skip: 0,
      count: false,
      skiptoken: null,
    });
  });

  it("parses $select, $orderby, $top, $skip, $count, $skiptoken and ignores the API key parameter", () => {
    const q = parse(
      `$select=kills,player_id&$orderby=kd_ratio desc,player_id&$top=10&$skip=5&$count=true&$skiptoken=${encodeSkiptoken(3, [2.5, "p-1", "arena:p-1"])}&api_key=k`,
    );
    expect(q.select.map((p) => p.name)).toEqual(["player_id", "kills"]);
    expect(q.sort).toEqual([
      ["kd_ratio", -1],
      ["player_id", 1],
      ["_id", 1],
    ]);
    expect(q).toMatchObject({ top: 10, skip: 5, count: true, selected: true });
    expect(q.skiptoken).toEqual({ delivered: 3, values: [2.5, "p-1", "arena:p-1"] });
  });

  it("sorts by the key only once", () => {
    expect(parse("$orderby=id desc").sort).toEqual([["_id", -1]]);
  });

  it("adds the set's base filter (windows without results are hidden)", () => {
    expect(parse("", windows).filter).toEqual({ first_seen: { $ne: null } });
    expect(parse("$filter=kills gt 1", windows).filter).toEqual({
      $and: [{ first_seen: { $ne: null } }, { kills: { $gt: 1 } }],
    });
  });

  it("accepts $format=json", () => {
    expect(() => parse("$format=json")).not.toThrow();
    expect(() => parse("$format=application/json;odata.metadata=minimal")).not.toThrow();
  });
});

describe("query options refused with a 400", () => {
  test.each([
    ["$select=_state", "UnknownProperty"],
    ["$select=kills,,deaths", "InvalidQueryOption"],
    ["$select=kills;drop", "UnknownProperty"],
    ["$orderby=kills sideways", "InvalidQueryOption"],
    ["$orderby=kills desc,kills asc", "InvalidQueryOption"],
    ["$orderby=$natural", "UnknownProperty"],
    ["$top=-1", "InvalidQueryOption"],
    ["$top=ten", "InvalidQueryOption"],
    ["$top=1e3", "InvalidQueryOption"],
    ["$top=99999999999", "InvalidQueryOption"],
    ["$skip=", "InvalidQueryOption"],
    ["$count=yes", "InvalidQueryOption"],
    ["$skiptoken=abc", "InvalidQueryOption"],
    [`$skiptoken=${encodeSkiptoken(3, [1, 2])}`, "InvalidQueryOption"],
    ["$format=xml", "InvalidQueryOption"],
    ["$expand=Matches", "NotSupported"],
    ["$search=foo", "NotSupported"],
    ["$apply=aggregate(kills with sum as total)", "NotSupported"],
    ["$where=this.kills>0", "UnknownQueryOption"],
    ["filter[$ne]=1", "UnknownQueryOption"],
    ["kills[$gt]=0", "UnknownQueryOption"],
    ["@p1='x'", "UnknownQueryOption"],
    ["$TOP=1", "UnknownQueryOption"],
    ["$top=1&$top=2", "InvalidQueryOption"],
  ])("%s -> %s", (query, code) => {
    const error = refused(query);
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
  });

  it("refuses paging options where there is no paging (CSV)", () => {
    expect(refused("$count=true", { paging: false, apiKeyParam: "api_key" }).code).toBe("InvalidQueryOption");
    expect(refused("$skiptoken=5", { paging: false, apiKeyParam: "api_key" }).code).toBe(
      "InvalidQueryOption",
    );
  });

  it("treats the API key parameter as unknown when keys are named otherwise", () => {
    expect(refused("api_key=x", { paging: true, apiKeyParam: "key" }).code).toBe("UnknownQueryOption");
  });
});

describe("$metadata and service document options", () => {
  it("take only their own $format", () => {
    expect(() => checkDocumentOptions(new URLSearchParams("$format=xml"), null, "xml")).not.toThrow();
    expect(() => checkDocumentOptions(new URLSearchParams("$format=json"), null, "xml")).toThrow(ODataError);
    expect(() => checkDocumentOptions(new URLSearchParams("$filter=kills gt 1"), null, "json")).toThrow(
      ODataError,
    );
    expect(() => checkDocumentOptions(new URLSearchParams("key=1"), "key", "json")).not.toThrow();
  });
});
