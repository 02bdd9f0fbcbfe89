import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { playerStatsReducer as r, type PlayerStatsState } from "./PlayerStats.js";
import { reduceAll, StateCodecError } from "./Reducer.js";
import {
  death,
  hit,
  kill,
  matchStart,
  perf,
  permute,
  playerEventsArb,
  shot,
  spawn,
} from "./testing/events.js";
import { referencePlayerStats } from "./testing/reference.js";

const fold = (
  events:
    | Parameters<typeof reduceAll<PlayerStatsState, never, never>>[1]
    | ReadonlyArray<Parameters<typeof r.reduce>[1]>,
) => reduceAll(r, events as ReadonlyArray<Parameters<typeof r.reduce>[1]>);

describe("PlayerStats definitions", () => {
  it("computes a small game by hand", () => {
    const events = [
      spawn(1, 1_000, "m1", 1),
      kill(2, 2_000, "m1", true),
      kill(3, 3_000, "m1", false),
      shot(4, 3_500, "m1"),
      hit(5, 3_600, "m1", 0.25),
      hit(6, 3_700, "m1", 12.5),
      death(7, 11_000, "m1", 1), // survived 10 s
      spawn(8, 12_000, "m2", 1),
      death(9, 15_000, "m2", 1), // survived 3 s
      death(10, 16_000, "m2", 2), // no spawn for life 2: a death, not a completed life
    ];
    expect(r.result(fold(events))).toEqual({
      kills: 2,
      deaths: 3,
      headshot_kills: 1,
      headshot_ratio: 0.5,
      kd_ratio: 2 / 3,
      matches: 2,
      avg_kills_per_match: 1,
      lives_completed: 2,
      avg_survival_ms: 6_500,
      shots: 1,
      hits: 2,
      damage_dealt: 12.75,
      first_seen: 1_000,
      last_seen: 16_000,
    });
  });

  it("has no ratio edge cases: no deaths → kd = kills; nothing → zeros and nulls", () => {
    expect(r.result(fold([kill(1, 5, "m1", false), kill(2, 6, "m1", false)])).kd_ratio).toBe(2);
    expect(r.result(r.init())).toEqual({
      kills: 0,
      deaths: 0,
      headshot_kills: 0,
      headshot_ratio: 0,
      kd_ratio: 0,
      matches: 0,
      avg_kills_per_match: 0,
      lives_completed: 0,
      avg_survival_ms: null,
      shots: 0,
      hits: 0,
      damage_dealt: 0,
      first_seen: null,
      last_seen: null,
    });
  });

  it("lets a death wait for its spawn, and uses the earliest of duplicate spawns", () => {
    const s = fold([death(1, 10_000, "m1", 1), spawn(2, 4_000, "m1", 1), spawn(3, 2_000, "m1", 1)]);
    expect(r.result(s)).toMatchObject({ lives_completed: 1, avg_survival_ms: 8_000, matches: 1 });
  });

  it("ignores events that are not player-scoped (perf samples, match start/end)", () => {
    const s = fold([perf(1, 1, { fps: 60 }), matchStart(2, 2, "m1"), kill(3, 10, "m1", false)]);
    expect(r.result(s)).toMatchObject({ kills: 1, first_seen: 10, last_seen: 10 });
  });

  it("does not modify the inputs of merge", () => {
    const a = fold([spawn(1, 1, "m1", 1)]);
    const b = fold([death(2, 5, "m1", 1)]);
    const before = [r.codec.encode(a), r.codec.encode(b)];
    r.merge(a, b);
    expect([r.codec.encode(a), r.codec.encode(b)]).toEqual(before);
  });
});

describe("PlayerStats properties", () => {
  const splitArb = playerEventsArb().chain((events) =>
    fc.tuple(
      fc.constant(events),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: events.length, maxLength: events.length }),
    ),
  );

  it("incremental result equals batch recomputation from the definitions", () => {
    fc.assert(
      fc.property(playerEventsArb(), (events) => {
        expect(r.result(fold(events))).toEqual(referencePlayerStats(events));
      }),
      { numRuns: 300 },
    );
  });

  it("any arrival order gives the same PlayerStats", () => {
    fc.assert(
      fc.property(
        playerEventsArb(),
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 60 }),
        (events, keys) => {
          expect(r.result(fold(permute(events, keys)))).toEqual(r.result(fold(events)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("merge of any split equals the fold of all; merge is commutative and associative", () => {
    fc.assert(
      fc.property(splitArb, ([events, parts]) => {
        const [a, b, c] = [0, 1, 2].map((p) => fold(events.filter((_, i) => parts[i] === p))) as [
          PlayerStatsState,
          PlayerStatsState,
          PlayerStatsState,
        ];
        const whole = r.result(fold(events));
        expect(r.result(r.merge(r.merge(a, b), c))).toEqual(whole);
        expect(r.result(r.merge(a, r.merge(b, c)))).toEqual(whole);
        expect(r.result(r.merge(b, a))).toEqual(r.result(r.merge(a, b)));
        expect(r.result(r.merge(c, r.merge(b, a)))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it("state codec round-trips (through JSON text) and keeps reducing identically", () => {
    fc.assert(
      fc.property(playerEventsArb(), playerEventsArb(), (first, second) => {
        const s = fold(first);
        const restored = r.codec.decode(JSON.parse(JSON.stringify(r.codec.encode(s))));
        expect(r.result(restored)).toEqual(r.result(s));
        expect(r.codec.encode(restored)).toEqual(r.codec.encode(s));
        expect(r.result(reduceAll(r, second, restored))).toEqual(r.result(reduceAll(r, second, s)));
      }),
      { numRuns: 200 },
    );
  });
});

describe("PlayerStats codec validation", () => {
  const good = r.codec.encode(
    fold([spawn(1, 1, "m.1:x", 1), death(2, 9, "m.1:x", 1), hit(3, 4, "m.1:x", 2.5)]),
  ) as Record<string, unknown>;

  it("never uses data as object keys", () => {
    expect(JSON.stringify(Object.keys(good))).not.toContain("m.1");
  });

  it.each([
    ["not an object", [], ""],
    ["wrong version", { ...good, v: 2 }, "v"],
    ["negative kills", { ...good, kills: -1 }, "kills"],
    ["headshots above kills", { ...good, headshot_kills: 5 }, "headshot_kills"],
    ["bad damage partial", { ...good, damage: ["x"] }, "damage[0]"],
    ["bad life tuple", { ...good, lives: [["m", 1, 2]] }, "lives[0]"],
    ["life 0", { ...good, lives: [["m", 0, 2, 0, 0]] }, "lives[0][1]"],
    ["empty life", { ...good, lives: [["m", 1, null, 0, 0]] }, "lives[0][1]"],
    [
      "duplicate match",
      {
        ...good,
        lives: [
          ["m", 1, 2, 0, 0],
          ["m", 2, 2, 0, 0],
        ],
      },
      "lives[1][0]",
    ],
    ["first after last", { ...good, first_seen: 10, last_seen: 1 }, "first_seen"],
  ])("rejects %s", (_name, json, path) => {
    expect(() => r.codec.decode(json as never)).toThrow(StateCodecError);
    try {
      r.codec.decode(json as never);
    } catch (e) {
      expect((e as StateCodecError).path).toBe(path);
    }
  });
});
