import { describe, expect, test } from "vitest";
import { ExportError } from "../ExportError.js";
import { INSIGHT_TABLES, type InsightTable } from "../Tables.js";
import { partitionOf, toStagedRow } from "./rows.js";

const matchTable = INSIGHT_TABLES.find((t) => t.name === "match_stats") as InsightTable;
const at = new Date("2026-12-07T16:54:00.123Z");
const match = {
  _id: "arena:m-1",
  game_id: "arena",
  match_id: "m-1",
  start: at,
  end: null,
  duration_ms: null,
  map: "dust",
  mode: "tdm",
  winning_team: null,
  players: 4,
  kills: 9,
  top_killer: { player_id: "p-1", kills: 3 },
  updated_at: at,
  _parts: { p0: { o: 1, s: "{}" } },
  _rev: 2,
};

describe("toStagedRow", () => {
  test("converts types: timestamps to ISO, int64 to decimal strings, structs recursively; drops private fields", () => {
    expect(toStagedRow(matchTable, match)).toEqual({
      _id: "arena:m-1",
      game_id: "arena",
      match_id: "m-1",
      server_id: null,
      start: "2026-12-07T16:54:00.123Z",
      end: null,
      duration_ms: null,
      map: "dust",
      mode: "tdm",
      winning_team: null,
      players: "4",
      kills: "9",
      top_killer: { player_id: "p-1", kills: "3" },
      updated_at: "2026-12-07T16:54:00.123Z",
    });
  });

  test.each([
    ["a fractional int64", { kills: 1.5 }, 'match_stats "arena:m-1".kills: expected int64, found 1.5'],
    ["a string for an int64", { players: "4" }, 'match_stats "arena:m-1".players: expected int64, found "4"'],
    ["a number for a timestamp", { start: 1_700_000_000_000 }, "expected timestamp"],
    ["a missing required field", { kills: undefined }, 'match_stats "arena:m-1".kills: missing'],
    [
      "an unknown public field",
      { rating: 3 },
      'match_stats "arena:m-1".rating: field not in the export schema',
    ],
    [
      "an unknown struct field",
      { top_killer: { player_id: "p", kills: 1, x: 1 } },
      "top_killer.x: field not in",
    ],
    ["a struct that is not an object", { top_killer: "p-1" }, "top_killer: expected an object"],
  ])("rejects %s with one line naming the document and field", (_name, patch, message) => {
    expect(() => toStagedRow(matchTable, { ...match, ...patch })).toThrow(ExportError);
    expect(() => toStagedRow(matchTable, { ...match, ...patch })).toThrow(message);
  });
});

describe("partitionOf", () => {
  test("game and UTC date of the table's date column, else of updated_at", () => {
    expect(partitionOf(matchTable, match)).toEqual({ gameId: "arena", date: "2026-12-07" });
    const later = new Date("2026-12-09T00:00:00.000Z");
    expect(partitionOf(matchTable, { ...match, start: null, updated_at: later })).toEqual({
      gameId: "arena",
      date: "2026-12-09",
    });
  });
});
