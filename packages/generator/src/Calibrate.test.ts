import { describe, expect, it } from "vitest";
import { eventsPerGameSecond, sizeForRate } from "./Calibrate.js";

describe("sizeForRate", () => {
  it("scales players and matches so the game produces about the asked rate", () => {
    for (const rate of [40, 400]) {
      const sizing = sizeForRate({ seed: 3 }, rate);
      expect(sizing.players).toBeGreaterThanOrEqual(2 * sizing.matches);
      const measured = eventsPerGameSecond({ seed: 3, ...sizing });
      expect(Math.abs(measured - rate) / rate).toBeLessThan(0.25);
    }
  });

  it("is deterministic for the same options", () => {
    expect(sizeForRate({ seed: 5 }, 200)).toEqual(sizeForRate({ seed: 5 }, 200));
  });
});
