import { describe, expect, it } from "vitest";
import { backlogSlope, sustainVerdict } from "./lag.js";

const series = (f: (t: number) => number, until = 20) =>
  Array.from({ length: until * 2 + 1 }, (_, i) => ({ t: i / 2, backlog: f(i / 2) }));

describe("backlogSlope", () => {
  it("is the growth per second of a linear backlog", () => {
    expect(backlogSlope(series((t) => 100 + 30 * t))).toBeCloseTo(30, 9);
  });
  it("is 0 for too few samples", () => {
    expect(backlogSlope([{ t: 1, backlog: 5 }])).toBe(0);
  });
});

describe("sustainVerdict", () => {
  it("accepts a flat, small backlog", () => {
    const v = sustainVerdict(
      series((t) => 200 + (t % 1 === 0 ? 50 : 0)),
      1000,
      20,
    );
    expect(v.sustained).toBe(true);
  });
  it("rejects a growing backlog", () => {
    const v = sustainVerdict(
      series((t) => 400 * t),
      1000,
      20,
    );
    expect(v.sustained).toBe(false);
    expect(v.slope).toBeCloseTo(400, 6);
  });
  it("rejects a flat but large backlog (more than 2 s of input waiting)", () => {
    const v = sustainVerdict(
      series(() => 5000),
      1000,
      20,
    );
    expect(v).toMatchObject({ sustained: false, finalBacklog: 5000 });
  });
  it("ignores samples taken after production stopped", () => {
    const v = sustainVerdict(
      series((t) => (t > 10 ? 1_000_000 : 10)),
      1000,
      10,
    );
    expect(v.sustained).toBe(true);
  });
});
