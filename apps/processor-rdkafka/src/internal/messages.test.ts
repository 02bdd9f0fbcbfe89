import { describe, expect, it } from "vitest";
import { toError, toHeaderList, toRecord } from "./messages.js";

describe("toRecord", () => {
  it("converts offsets to bigint, string keys to bytes and header lists to a record (last value wins)", () => {
    const record = toRecord({
      topic: "in",
      partition: 2,
      offset: 41,
      key: "player-1",
      value: Buffer.from("v"),
      size: 1,
      timestamp: 1700000000123,
      headers: [{ a: Buffer.from("1") }, { b: Buffer.from("2") }, { a: "3" }],
    });
    expect(record).toEqual({
      topic: "in",
      partition: 2,
      offset: 41n,
      key: Buffer.from("player-1"),
      value: Buffer.from("v"),
      timestamp: 1700000000123,
      headers: { a: Buffer.from("3"), b: Buffer.from("2") },
    });
  });

  it("keeps missing keys as null and defaults a missing timestamp to 0", () => {
    const record = toRecord({ topic: "in", partition: 0, offset: 0, value: null, size: 0 });
    expect(record).toMatchObject({ key: null, value: null, timestamp: 0, headers: {} });
  });
});

describe("toHeaderList", () => {
  it("gives node-rdkafka one single-entry object per header", () => {
    expect(toHeaderList({ reason: "decode", offset: Buffer.from("7") })).toEqual([
      { reason: "decode" },
      { offset: Buffer.from("7") },
    ]);
  });
});

describe("toError", () => {
  it("turns a librdkafka error object into an Error that keeps its code", () => {
    const error = toError({ message: "Broker: Not coordinator", code: 16, errno: 16, origin: "kafka" });
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe("Broker: Not coordinator");
    expect((error as Error & { code: number }).code).toBe(16);
  });
});
