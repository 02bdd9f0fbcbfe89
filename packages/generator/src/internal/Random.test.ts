import { describe, expect, it } from "vitest";
import { Random } from "./Random.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("Random", () => {
  it("draws the same sequence from the same seed and another from another seed", () => {
    const draw = (seed: number) => {
      const r = Random.fromSeed(seed);
      return [r.float(), r.int(0, 1000), r.uuid(), r.normal(0, 1), r.exponential(5)];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it("forks a stream that does not move when the parent draws", () => {
    const a = Random.fromSeed(1);
    const forkBefore = a.fork();
    const b = Random.fromSeed(1);
    b.float();
    b.float();
    const forkAfterDraws = Random.fromSeed(1).fork();
    expect([forkBefore.float(), forkBefore.float()]).toEqual([
      forkAfterDraws.float(),
      forkAfterDraws.float(),
    ]);
    expect(Random.fromSeed(1).fork().float()).not.toBe(Random.fromSeed(1).float());
  });

  it("keeps draws in range", () => {
    const r = Random.fromSeed(3);
    const outOfRange: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const f = r.float();
      const n = r.int(-3, 3);
      const e = r.exponential(10);
      if (!(f >= 0 && f < 1) || !(n >= -3 && n <= 3 && Number.isInteger(n)) || !(e >= 0)) outOfRange.push(i);
    }
    expect(outOfRange).toEqual([]);
  });

  it("makes version-4 UUIDs, all distinct", () => {
    const r = Random.fromSeed(7);
    const ids = Array.from({ length: 5000 }, () => r.uuid());
    expect(ids.filter((id) => !UUID_V4.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
