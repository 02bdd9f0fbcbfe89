import { decodeEvent } from "@gametel/core";
import { describe, expect, test } from "vitest";
import { RacingEvents } from "./Events.js";

const envelope = {
  event_id: "0190f5a2-3b4c-7d8e-9f01-23456789abcd",
  event_version: 1,
  event_time: 1_000,
  game_id: "kart-racer",
  server_id: "eu-1",
  match_id: "race-1",
  player_id: "ana",
};
const lap = {
  ...envelope,
  event_type: "lap_completed",
  data: { lap: 2, lap_time_ms: 59_300, track: "harbour" },
};

describe("RacingEvents", () => {
  test.each([
    ["lap_completed", lap],
    [
      "checkpoint_passed",
      { ...envelope, event_type: "checkpoint_passed", data: { lap: 1, checkpoint: 0, split_ms: 10 } },
    ],
    ["race_finished", { ...envelope, event_type: "race_finished", data: { position: 3, total_time_ms: 1 } }],
    ["a core event", { ...envelope, event_type: "shot_fired", data: { weapon: "boost" } }],
  ])("accepts %s", (_name, input) => {
    const r = RacingEvents.decode(JSON.stringify(input));
    expect(r.ok).toBe(true);
    expect(RacingEvents.decodeWithSchema(input)).toEqual(r);
  });

  test.each([
    ["lap 0", { ...lap, data: { ...lap.data, lap: 0 } }, "data.lap"],
    ["fractional lap time", { ...lap, data: { ...lap.data, lap_time_ms: 1.5 } }, "data.lap_time_ms"],
    ["missing track", { ...lap, data: { lap: 1, lap_time_ms: 1 } }, "data.track"],
    ["race without match", { ...lap, match_id: null }, "match_id"],
    ["unsafe key", { ...lap, data: { ...lap.data, $inc: 1 } }, "data.$inc"],
    ["unknown type", { ...lap, event_type: "pit_stop" }, "event_type"],
  ])("rejects %s at %s", (_name, input, path) => {
    const r = RacingEvents.decode(JSON.stringify(input));
    expect(r.ok ? "accepted" : r.error.path).toBe(path);
    expect(RacingEvents.decodeWithSchema(input)).toEqual(r);
  });

  test("racing types are keyed by player, and the core decoder does not know them", () => {
    const r = RacingEvents.decode(JSON.stringify(lap));
    expect(r.ok && RacingEvents.partitionKey(r.event)).toBe("kart-racer:ana");
    expect(decodeEvent(JSON.stringify(lap)).ok).toBe(false);
  });
});
