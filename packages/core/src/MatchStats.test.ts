import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TelemetryEvent } from "./Event.js";
import { matchStatsReducer as m, type MatchStatsState } from "./MatchStats.js";
import { reduceAll } from "./Reducer.js";
import { death, kill, matchEnd, matchStart, permute, spawn } from "./testing/events.js";

describe("MatchStats", () => {
  it("computes start, end, duration, players, kills and the top killer", () => {
    const events = [
      matchStart(1, 1_000, "m1", "dust"),
      spawn(2, 1_100, "m1", 1, "alice"),
      spawn(3, 1_200, "m1", 1, "bob"),
      kill(4, 2_000, "m1", true, "bob"),
      kill(5, 2_500, "m1", false, "alice"),
      death(6, 2_600, "m1", 1, "carol"),
      matchEnd(7, 61_000, "m1", "red"),
    ];
    expect(m.result(reduceAll(m, events))).toEqual({
      start: 1_000,
      end: 61_000,
      duration_ms: 60_000,
      map: "dust",
      mode: "tdm",
      server_id: "s1",
      winning_team: "red",
      players: 3,
      kills: 2,
      top_killer: { player_id: "alice", kills: 1 }, // tie on kills: smallest player_id
    });
  });

  it("reads a state encoded before server_id was kept (a four-element start) with server_id null", () => {
    const state = m.codec.decode({
      v: 1,
      start: [1_000, "e1", "dust", "tdm"],
      end: null,
      players: [],
      kills_by: [],
      kills: 0,
    });
    expect(m.result(state)).toMatchObject({ start: 1_000, map: "dust", server_id: null });
    expect(() =>
      m.codec.decode({ v: 1, start: [1_000, "e1"], end: null, players: [], kills_by: [], kills: 0 }),
    ).toThrow(/start/);
  });

  it("is empty and null-safe without events", () => {
    expect(m.result(m.init())).toMatchObject({
      start: null,
      end: null,
      duration_ms: null,
      players: 0,
      top_killer: null,
    });
  });

  const matchEventsArb = fc
    .array(
      fc.record({
        kind: fc.constantFrom("start", "end", "kill", "spawn"),
        time: fc.integer({ min: 0, max: 100 }),
        player: fc.constantFrom("a", "b", "c.d", "e:f"),
        text: fc.constantFrom("x", "y", "z"),
      }),
      { maxLength: 40 },
    )
    .map((specs) =>
      specs.map((s, i): TelemetryEvent => {
        switch (s.kind) {
          case "start":
            return matchStart(i, s.time, "m1", s.text);
          case "end":
            return matchEnd(i, s.time, "m1", s.text === "z" ? null : s.text);
          case "kill":
            return kill(i, s.time, "m1", false, s.player);
          default:
            return spawn(i, s.time, "m1", 1, s.player);
        }
      }),
    );

  it("any order, any split into partial states merged in any grouping: same result; codec round-trips", () => {
    fc.assert(
      fc.property(
        matchEventsArb,
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 40, maxLength: 40 }),
        (events, keys, parts) => {
          const whole = m.result(reduceAll(m, events));
          expect(m.result(reduceAll(m, permute(events, keys)))).toEqual(whole);
          const [a, b, c] = [0, 1, 2].map((p) =>
            reduceAll(
              m,
              events.filter((_, i) => parts[i] === p),
            ),
          ) as [MatchStatsState, MatchStatsState, MatchStatsState];
          expect(m.result(m.merge(m.merge(a, b), c))).toEqual(whole);
          expect(m.result(m.merge(c, m.merge(b, a)))).toEqual(whole);
          const restored = m.codec.decode(JSON.parse(JSON.stringify(m.codec.encode(a))));
          expect(m.codec.encode(restored)).toEqual(m.codec.encode(a));
          expect(m.result(restored)).toEqual(m.result(a));
        },
      ),
      { numRuns: 300 },
    );
  });
});
