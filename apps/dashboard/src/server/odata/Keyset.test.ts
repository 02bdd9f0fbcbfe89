import { describe, expect, it } from "vitest";
import { decodeSkiptoken, encodeSkiptoken, keysetFilter } from "./Keyset.js";

const keys = [
  ["kd_ratio", -1],
  ["_id", 1],
] as const;

describe("$skiptoken", () => {
  it("round-trips the last row's sort values, dates and nulls included", () => {
    const at = new Date("2026-12-07T17:00:00.000Z");
    const token = encodeSkiptoken(14, [at, null, "arena:p"]);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(
      decodeSkiptoken(token, [
        ["a", 1],
        ["b", -1],
        ["_id", 1],
      ]),
    ).toEqual({
      delivered: 14,
      values: [at, null, "arena:p"],
    });
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["a plain offset", "7"],
    ["an operator", Buffer.from('[0,{"$gt":""},"x"]').toString("base64url")],
    ["a bad date", Buffer.from('[0,{"d":"yesterday"},"x"]').toString("base64url")],
    ["a negative count", Buffer.from('[-1,1,"x"]').toString("base64url")],
    ["the wrong number of keys", encodeSkiptoken(0, [1])],
  ])("refuses %s with a 400", (_what, raw) => {
    expect(() => decodeSkiptoken(raw, keys)).toThrow(
      expect.objectContaining({ status: 400, code: "InvalidQueryOption" }),
    );
  });
});

describe("keysetFilter", () => {
  it("continues strictly after the last row: k1 beyond, or k1 equal and k2 beyond", () => {
    expect(keysetFilter(keys, [2.5, "arena:p"])).toEqual({
      $or: [
        { $and: [{ $or: [{ kd_ratio: { $lt: 2.5 } }, { kd_ratio: null }] }] },
        { $and: [{ kd_ratio: 2.5 }, { _id: { $gt: "arena:p" } }] },
      ],
    });
  });

  it("puts nulls first, as MongoDB sorts them", () => {
    expect(keysetFilter([["a", 1]], [null])).toEqual({ $or: [{ $and: [{ a: { $ne: null } }] }] });
    expect(keysetFilter([["a", -1]], [null])).toEqual({ $or: [{ $and: [{ _id: { $exists: false } }] }] });
  });
});
