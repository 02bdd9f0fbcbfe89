import { decodeEvent, partitionKey } from "@gametel/core";
import { BSON, Decimal128, ObjectId, type Document } from "mongodb";
import { describe, expect, test } from "vitest";
import { routeDocument, toWireObject } from "./documentToRecord.js";

const context = { eventsTopic: "ev", deadLetterTopic: "dlq", source: "mongodb:gametel.telemetry" };

const kill: Document = {
  _id: new ObjectId("65f000000000000000000001"),
  event_id: "0b6c1a52-8f5e-4a55-9b8e-1b2c3d4e5f60",
  event_type: "player_kill",
  event_version: 1,
  event_time: 1_750_000_000_000,
  game_id: "arena",
  server_id: "eu-1",
  match_id: "m-1",
  player_id: "p-1",
  session_id: null,
  data: { victim_id: "p-2", weapon: "rifle", headshot: true },
};
const matchStart: Document = {
  ...kill,
  event_type: "match_start",
  player_id: null,
  data: { map: "dust", mode: "tdm" },
};
const perf: Document = {
  ...kill,
  event_type: "perf_sample",
  match_id: null,
  player_id: "p-1",
  data: { ping_ms: 31 },
};

describe("routeDocument: valid events", () => {
  test.each([
    ["player_kill", kill, "arena:p-1"],
    ["match_start", matchStart, "arena:m-1"],
    ["perf_sample (server key even with a player)", perf, "arena:eu-1"],
  ])("%s goes to the events topic keyed %s", (_what, document, key) => {
    const routed = routeDocument(document, context);
    expect(routed.kind).toBe("event");
    expect(routed.record.topic).toBe("ev");
    expect(routed.record.key).toBe(key);
    expect(routed.record.headers).toBeUndefined();
    const decoded = decodeEvent(routed.record.value);
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.error));
    expect(partitionKey(decoded.event)).toBe(key);
    expect(decoded.event.event_id).toBe(kill.event_id);
  });

  test("the value has no _id and no field the wire format does not define", () => {
    const routed = routeDocument({ ...kill, server_note: "x" }, context);
    const value = JSON.parse(routed.record.value) as Record<string, unknown>;
    expect(value).not.toHaveProperty("_id");
    expect(value).not.toHaveProperty("server_note");
  });

  test("a BSON date event_time becomes epoch milliseconds", () => {
    const routed = routeDocument({ ...kill, event_time: new Date(1_750_000_000_123) }, context);
    expect(routed.kind).toBe("event");
    expect((JSON.parse(routed.record.value) as { event_time: number }).event_time).toBe(1_750_000_000_123);
  });
});

describe("routeDocument: dead letters", () => {
  test.each<[string, Document, string]>([
    ["a wrong data type", { ...kill, data: { ...kill.data, weapon: 42 } }, "data.weapon"],
    ["an unknown event type", { ...kill, event_type: "teleported" }, "event_type"],
    ["a missing event_id", (({ event_id: _drop, ...rest }) => rest)(kill), "event_id"],
    ["an ObjectId where a string belongs", { ...kill, player_id: new ObjectId() }, "player_id"],
    [
      "a Decimal128 event_time",
      { ...kill, event_time: Decimal128.fromString("1750000000000") },
      "event_time",
    ],
  ])("%s is rejected at %s", (_what, document, path) => {
    const routed = routeDocument(document, context);
    expect(routed.kind).toBe("dead-letter");
    if (routed.kind !== "dead-letter") return;
    expect(routed.path).toBe(path);
    expect(routed.record.topic).toBe("dlq");
    expect(routed.record.headers).toMatchObject({
      "gametel.error.path": path,
      "gametel.error.reason": routed.reason,
      "gametel.source": "mongodb:gametel.telemetry",
      "gametel.source.document_id": '{"$oid":"65f000000000000000000001"}',
    });
    expect(routed.record.key).toBe('{"$oid":"65f000000000000000000001"}');
    // The whole document is kept, _id included, as relaxed Extended JSON.
    expect(BSON.EJSON.parse(routed.record.value, { relaxed: true })).toMatchObject({ _id: kill._id });
  });
});

describe("toWireObject", () => {
  test("drops only the top-level _id and converts nested dates", () => {
    const out = toWireObject({ _id: 1, a: { _id: 2, at: new Date(5) }, list: [new Date(7)] });
    expect(out).toEqual({ a: { _id: 2, at: 5 }, list: [7] });
  });

  test('a field named "__proto__" stays a field', () => {
    const document = JSON.parse('{"event_type":"x","__proto__":{"polluted":true}}') as Document;
    const out = toWireObject(document);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toContain("__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
