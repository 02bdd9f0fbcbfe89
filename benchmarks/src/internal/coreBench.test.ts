import { describe, expect, it } from "vitest";
import { parseCoreBench } from "./coreBench.js";

const OUTPUT = `@gametel/core bench — node v20.20.0, 20000 distinct events, 315 bytes avg, 1s per line
decode
  decodeEvent(bytes)  [UTF-8 + JSON.parse + validate]       120,307 events/s per core   (65,575 /s wall)
  JSON.parse(string) alone (baseline)                       403,578 events/s per core   (237,749 /s wall)
reduce (decoded events)
  playerStatsReducer.reduce                              18,324,247 events/s per core   (17,535,185 /s wall)
`;

describe("parseCoreBench", () => {
  it("reads every measurement with its section", () => {
    expect(parseCoreBench(OUTPUT)).toEqual([
      {
        section: "decode",
        name: "decodeEvent(bytes)  [UTF-8 + JSON.parse + validate]",
        perCore: 120307,
        wall: 65575,
      },
      { section: "decode", name: "JSON.parse(string) alone (baseline)", perCore: 403578, wall: 237749 },
      {
        section: "reduce (decoded events)",
        name: "playerStatsReducer.reduce",
        perCore: 18324247,
        wall: 17535185,
      },
    ]);
  });
  it("ignores anything else", () => {
    expect(parseCoreBench("hello\n\n  not a line\n")).toEqual([]);
  });
});
