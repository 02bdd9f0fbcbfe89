import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareFor, mergeTopK, topK } from "./Leaderboard.js";

const candidatesArb = fc.uniqueArray(
  fc.record({
    player_id: fc.string({ minLength: 1, maxLength: 4 }),
    kills: fc.nat(20),
    kd_ratio: fc.constantFrom(0, 0.5, 1, 2, 3.25),
  }),
  { selector: (c) => c.player_id, maxLength: 60 },
);

describe("Leaderboard", () => {
  it("ranks by kd_ratio, then kills, then player_id; and by kills, then kd_ratio", () => {
    const players = [
      { player_id: "b", kills: 4, kd_ratio: 2 },
      { player_id: "a", kills: 4, kd_ratio: 2 },
      { player_id: "c", kills: 9, kd_ratio: 1 },
      { player_id: "d", kills: 2, kd_ratio: 2 },
    ];
    expect(topK(players, 3, "kd_ratio").map((p) => [p.rank, p.player_id])).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "d"],
    ]);
    expect(topK(players, 2, "kills").map((p) => p.player_id)).toEqual(["c", "a"]);
    expect(topK(players, 2, "kills", { eligible: (p) => p.kills < 5 }).map((p) => p.player_id)).toEqual([
      "a",
      "b",
    ]);
    expect(() => topK(players, -1, "kills")).toThrow(RangeError);
  });

  it("top K equals the head of a full sort; merging partition boards is exact", () => {
    fc.assert(
      fc.property(
        candidatesArb,
        fc.nat(10),
        fc.constantFrom("kd_ratio" as const, "kills" as const),
        fc.array(fc.nat(2), { minLength: 60, maxLength: 60 }),
        (all, k, metric, parts) => {
          const expected = [...all]
            .sort(compareFor(metric))
            .slice(0, k)
            .map((c, i) => ({ ...c, rank: i + 1 }));
          expect(topK(all, k, metric)).toEqual(expected);
          const boards = [0, 1, 2].map((p) =>
            topK(
              all.filter((_, i) => parts[i] === p),
              k,
              metric,
            ),
          );
          expect(mergeTopK(boards, k, metric)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
