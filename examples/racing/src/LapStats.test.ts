import { reduceAll } from "@gametel/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RacingEvents, type RacingEvent } from "./Events.js";
import { lapStatsReducer as r, type LapStatsState } from "./LapStats.js";

let n = 0;
const make = (type: string, data: object): RacingEvent => {
  const d = RacingEvents.decodeUnknown({
    event_id: `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, "0")}`,
    event_type: type,
    event_version: 1,
    event_time: n,
    game_id: "kart",
    server_id: "s",
    match_id: "race",
    player_id: "ana",
    data,
  });
  if (!d.ok) throw new Error(d.error.reason);
  return d.event;
};
const lap = (ms: number) => make("lap_completed", { lap: 1, lap_time_ms: ms, track: "t" });
const finish = (position: number) => make("race_finished", { position, total_time_ms: 1 });

describe("LapStats", () => {
  it("computes laps, best and average lap, wins and best position", () => {
    const s = reduceAll(r, [
      lap(60_000),
      lap(58_000),
      finish(2),
      finish(1),
      make("shot_fired", { weapon: "x" }),
    ]);
    expect(r.result(s)).toEqual({
      laps: 2,
      best_lap_ms: 58_000,
      avg_lap_ms: 59_000,
      races_finished: 2,
      wins: 1,
      best_position: 1,
    });
    expect(r.result(r.init())).toEqual({
      laps: 0,
      best_lap_ms: null,
      avg_lap_ms: null,
      races_finished: 0,
      wins: 0,
      best_position: null,
    });
  });

  const eventsArb = fc.array(
    fc.oneof(fc.integer({ min: 0, max: 200_000 }).map(lap), fc.integer({ min: 1, max: 8 }).map(finish)),
    { maxLength: 40 },
  );

  it("is order independent, merges exactly and round-trips its codec", () => {
    fc.assert(
      fc.property(eventsArb, fc.array(fc.nat(1), { minLength: 40, maxLength: 40 }), (events, parts) => {
        const whole = r.result(reduceAll(r, events));
        expect(r.result(reduceAll(r, [...events].reverse()))).toEqual(whole);
        const [a, b] = [0, 1].map((p) =>
          reduceAll(
            r,
            events.filter((_, i) => parts[i] === p),
          ),
        ) as [LapStatsState, LapStatsState];
        expect(r.result(r.merge(a, b))).toEqual(whole);
        expect(r.result(r.merge(b, a))).toEqual(whole);
        expect(r.result(r.codec.decode(JSON.parse(JSON.stringify(r.codec.encode(a)))))).toEqual(r.result(a));
      }),
      { numRuns: 200 },
    );
  });
});
