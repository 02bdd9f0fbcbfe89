import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { ENTITY_SETS } from "./EntitySets.js";
import { parseFilter } from "./FilterParser.js";
import { filterToMongo } from "./FilterToMongo.js";
import { ODataError } from "./ODataError.js";

const players = ENTITY_SETS.find((s) => s.name === "PlayerStats")!;
const servers = ENTITY_SETS.find((s) => s.name === "ServerPerformance")!;
const mongo = (filter: string, set = players) => filterToMongo(set, parseFilter(filter));

function rejection(filter: string, set = players): ODataError {
  try {
    mongo(filter, set);
  } catch (error) {
    if (error instanceof ODataError) return error;
    throw error;
  }
  throw new Error(`accepted: ${filter}`);
}

describe("$filter accepted", () => {
  test.each([
    ["kills eq 5", { kills: { $eq: 5 } }],
    [`contains(player_id,'${"x".repeat(100)}')`, { player_id: { $regex: "x".repeat(100) } }],
    [`player_id eq '${"x".repeat(1900)}'`, { player_id: { $eq: "x".repeat(1900) } }],
    ["kills ne 5", { kills: { $ne: 5 } }],
    ["kills gt 5", { kills: { $gt: 5 } }],
    ["kills ge 5", { kills: { $gte: 5 } }],
    ["kills lt 5", { kills: { $lt: 5 } }],
    ["kills le -5", { kills: { $lte: -5 } }],
    ["kd_ratio ge 1.25", { kd_ratio: { $gte: 1.25 } }],
    ["kd_ratio lt 2e1", { kd_ratio: { $lt: 20 } }],
    ["5 lt kills", { kills: { $gt: 5 } }],
    ["5 ge kills", { kills: { $lte: 5 } }],
    ["player_id eq 'player-0001'", { player_id: { $eq: "player-0001" } }],
    ["player_id eq 'it''s'", { player_id: { $eq: "it's" } }],
    ["player_id eq ''", { player_id: { $eq: "" } }],
    ["avg_survival_ms eq null", { avg_survival_ms: { $eq: null } }],
    ["avg_survival_ms ne null", { avg_survival_ms: { $ne: null } }],
    ["id eq 'arena:p1'", { _id: { $eq: "arena:p1" } }],
    ["first_seen ge 2026-01-01T00:00:00Z", { first_seen: { $gte: new Date("2026-01-01T00:00:00Z") } }],
    [
      "first_seen lt 2026-01-01T01:30:00.250+01:00",
      { first_seen: { $lt: new Date("2026-01-01T00:30:00.250Z") } },
    ],
    ["last_seen lt 2026-02-28", { last_seen: { $lt: new Date("2026-02-28T00:00:00Z") } }],
    ["kills gt 1 and deaths lt 2", { $and: [{ kills: { $gt: 1 } }, { deaths: { $lt: 2 } }] }],
    ["kills gt 1 or deaths lt 2", { $or: [{ kills: { $gt: 1 } }, { deaths: { $lt: 2 } }] }],
    ["not (kills gt 1)", { $nor: [{ kills: { $gt: 1 } }] }],
    ["not kills gt 1", { $nor: [{ kills: { $gt: 1 } }] }],
    // not binds tighter than or, and tighter than or.
    ["not (kills gt 1) or deaths eq 0", { $or: [{ $nor: [{ kills: { $gt: 1 } }] }, { deaths: { $eq: 0 } }] }],
    [
      "kills eq 1 or kills eq 2 and deaths eq 3",
      { $or: [{ kills: { $eq: 1 } }, { $and: [{ kills: { $eq: 2 } }, { deaths: { $eq: 3 } }] }] },
    ],
    [
      "(kills eq 1 or kills eq 2) and deaths eq 3",
      { $and: [{ $or: [{ kills: { $eq: 1 } }, { kills: { $eq: 2 } }] }, { deaths: { $eq: 3 } }] },
    ],
    ["  kills   eq\t5  ", { kills: { $eq: 5 } }],
    ["contains(player_id,'00')", { player_id: { $regex: "00" } }],
    ["startswith(player_id, 'player-')", { player_id: { $regex: "^player\\-" } }],
    ["endswith(player_id,'.*')", { player_id: { $regex: "\\.\\*$" } }],
    // What Power Query folds into its requests.
    ["tolower(player_id) eq 'player-0001'", { player_id: { $regex: "^player\\-0001$", $options: "i" } }],
    ["toupper(player_id) ne 'P'", { $nor: [{ player_id: { $regex: "^P$", $options: "i" } }] }],
    ["tolower(player_id) eq 'Player'", { _id: { $in: [] } }],
    ["'abc' eq tolower(player_id)", { player_id: { $regex: "^abc$", $options: "i" } }],
    ["contains(tolower(player_id),'ab')", { player_id: { $regex: "ab", $options: "i" } }],
    ["startswith(toupper(player_id),'P')", { player_id: { $regex: "^P", $options: "i" } }],
    ["player_id in ('a', 'it''s')", { player_id: { $in: ["a", "it's"] } }],
    ["kills in (1,2,3)", { kills: { $in: [1, 2, 3] } }],
    ["year(first_seen) eq 2026", { $expr: { $eq: [{ $year: "$first_seen" }, 2026] } }],
    ["month(first_seen) ge 3", { $expr: { $gte: [{ $month: "$first_seen" }, 3] } }],
    ["day(last_seen) lt 15", { $expr: { $lt: [{ $dayOfMonth: "$last_seen" }, 15] } }],
    ["12 gt hour(last_seen)", { $expr: { $lt: [{ $hour: "$last_seen" }, 12] } }],
  ])("%s", (filter, expected) => {
    expect(mongo(filter)).toEqual(expected);
  });

  it("reads now() as the request's time", () => {
    const before = Date.now();
    const filter = mongo("last_seen ge now()") as { last_seen: { $gte: Date } };
    expect(filter.last_seen.$gte.getTime()).toBeGreaterThanOrEqual(before);
    expect(filter.last_seen.$gte.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("maps flattened properties to their nested paths", () => {
    expect(mongo("ping_p99_ms gt 100 and fps_p50 lt 30", servers)).toEqual({
      $and: [{ "ping_ms.p99": { $gt: 100 } }, { "fps.p50": { $lt: 30 } }],
    });
  });
});

describe("$filter rejected with a 400", () => {
  test.each([
    ["", "InvalidFilter"],
    ["kills", "InvalidFilter"],
    ["kills gt", "InvalidFilter"],
    ["kills gt 5 and", "InvalidFilter"],
    ["kills gt 5)", "InvalidFilter"],
    ["(kills gt 5", "InvalidFilter"],
    ["kills == 5", "InvalidFilter"],
    ["kills eq 5 && deaths eq 1", "InvalidFilter"],
    ["kills EQ 5", "InvalidFilter"],
    ["kills eq {'$gt': 0}", "InvalidFilter"],
    ['{"kills": {"$gt": 0}}', "InvalidFilter"],
    ["$where eq 1", "InvalidFilter"],
    ["kills.$gt eq 1", "InvalidFilter"],
    ["_state eq 'x'", "UnknownProperty"],
    ["_offset gt 1", "UnknownProperty"],
    ["password eq 'x'", "UnknownProperty"],
    ["top_killer/player_id eq 'x'", "InvalidFilter"],
    ["player_id eq 'unterminated", "InvalidFilter"],
    ["player_id eq 5", "InvalidFilter"],
    ["kills eq 'five'", "InvalidFilter"],
    ["kills eq true", "InvalidFilter"],
    ["first_seen gt 'yesterday'", "InvalidFilter"],
    ["first_seen gt 2026-02-30T00:00:00Z", "InvalidFilter"],
    ["first_seen gt 2026-01-01T25:00:00Z", "InvalidFilter"],
    ["first_seen gt 2026-01-01T10:00", "InvalidFilter"],
    ["kills gt null", "InvalidFilter"],
    ["kills eq deaths", "InvalidFilter"],
    ["5 eq 5", "InvalidFilter"],
    ["kills eq 1e999", "InvalidFilter"],
    ["kills eq 5abc", "InvalidFilter"],
    ["tolower(kills) eq 'a'", "InvalidFilter"],
    ["tolower(player_id) gt 'a'", "InvalidFilter"],
    ["tolower(player_id) eq 5", "InvalidFilter"],
    ["tolower(tolower(player_id)) eq 'a'", "InvalidFilter"],
    ["tolower('a') eq 'a'", "InvalidFilter"],
    ["contains(tolower(kills),'1')", "InvalidFilter"],
    ["year(player_id) eq 2026", "InvalidFilter"],
    ["year(first_seen) eq '2026'", "InvalidFilter"],
    ["year(first_seen) eq 2026.5", "InvalidFilter"],
    ["year(first_seen) in (2026)", "InvalidFilter"],
    ["floor(kills) eq 1", "InvalidFilter"],
    ["now() eq now()", "InvalidFilter"],
    ["kills in ('a')", "InvalidFilter"],
    ["kills in ()", "InvalidFilter"],
    ["kills in (1", "InvalidFilter"],
    ["kills in 1", "InvalidFilter"],
    ["contains(kills,'1')", "InvalidFilter"],
    ["contains(player_id,1)", "InvalidFilter"],
    ["kills eq @p1", "InvalidFilter"],
    [`${"(".repeat(40)}kills eq 1${")".repeat(40)}`, "InvalidFilter"],
    [Array.from({ length: 150 }, () => "kills eq 1").join(" or "), "InvalidFilter"],
    [`player_id eq '${"x".repeat(3000)}'`, "InvalidFilter"],
    [`contains(player_id,'${"x".repeat(1975)}')`, "FilterTooExpensive"],
    [`startswith(tolower(player_id),'${"x".repeat(101)}')`, "FilterTooExpensive"],
    [`tolower(player_id) eq '${"x".repeat(101)}'`, "FilterTooExpensive"],
    [
      Array.from({ length: 5 }, () => `endswith(player_id,'${"x".repeat(21)}')`).join(" or "),
      "FilterTooExpensive",
    ],
  ])("%s -> %s", (filter, code) => {
    const error = rejection(filter);
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
    expect(error.target).toBe("$filter");
  });
});

describe("$filter properties", () => {
  it("a string literal is always exactly one $eq string value, whatever it contains", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (value) => {
        const literal = `'${value.replace(/'/g, "''")}'`;
        expect(mongo(`player_id eq ${literal}`)).toEqual({ player_id: { $eq: value } });
      }),
    );
  });

  it("any input either parses into whitelisted paths or is refused with a 400, never anything else", () => {
    const paths = new Set([...players.properties.map((p) => p.path), "$and", "$or", "$nor"]);
    const keysOf = (value: unknown): string[] =>
      value === null || typeof value !== "object" || value instanceof Date
        ? []
        : Array.isArray(value)
          ? value.flatMap(keysOf)
          : Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
              k.startsWith("$") && !["$and", "$or", "$nor"].includes(k) ? keysOf(v) : [k, ...keysOf(v)],
            );
    const tokens = fc.constantFrom(
      "kills",
      "player_id",
      "_state",
      "eq",
      "gt",
      "and",
      "or",
      "not",
      "(",
      ")",
      "'x'",
      "'$ne'",
      "5",
      "-1.5",
      "null",
      "2026-01-01T00:00:00Z",
      "{",
      "$gt",
      ",",
      "contains",
      "tolower(player_id)",
      "year(first_seen)",
      "in",
      "now()",
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.array(tokens, { maxLength: 12 }).map((t) => t.join(" ")),
        ),
        (text) => {
          let result;
          try {
            result = mongo(text);
          } catch (error) {
            expect(error).toBeInstanceOf(ODataError);
            expect((error as ODataError).status).toBe(400);
            return;
          }
          for (const key of keysOf(result)) expect(paths.has(key)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
