import { describe, expect, it } from "vitest";
import { groupCaughtUp, partitionLag, type Watermarks } from "./lag.js";

const marks = (entries: Record<string, [number, number]>) =>
  new Map<string, Watermarks>(
    Object.entries(entries).map(([k, [low, high]]) => [k, { low: BigInt(low), high: BigInt(high) }]),
  );
const offsets = (entries: Record<string, number>) =>
  new Map<string, bigint>(Object.entries(entries).map(([k, v]) => [k, BigInt(v)]));
const tps = (...partitions: number[]) => partitions.map((partition) => ({ topic: "in", partition }));

describe("partitionLag", () => {
  const watermarks = marks({ "in:0": [0, 100], "in:1": [40, 50], "in:2": [0, 10] });

  it("prefers the processed position, then the committed offset, then the log start", () => {
    const lag = partitionLag(
      tps(0, 1, 2),
      watermarks,
      offsets({ "in:0": 90 }),
      offsets({ "in:0": 10, "in:2": 4 }),
    );
    expect(lag).toEqual(offsets({ "in:0": 10, "in:1": 10, "in:2": 6 }));
  });

  it("never reports negative lag and skips partitions without watermarks", () => {
    const lag = partitionLag(tps(0, 7), watermarks, offsets({ "in:0": 120 }), new Map());
    expect(lag).toEqual(offsets({ "in:0": 0 }));
  });
});

describe("groupCaughtUp", () => {
  it("is true only when every partition's committed offset (or log start) reached its high watermark", () => {
    const watermarks = marks({ "in:0": [0, 5], "in:1": [3, 3], "in:2": [0, 0] });
    expect(groupCaughtUp(tps(0, 1, 2), watermarks, offsets({ "in:0": 5 }))).toBe(true);
    expect(groupCaughtUp(tps(0, 1, 2), watermarks, offsets({ "in:0": 4 }))).toBe(false);
    expect(groupCaughtUp(tps(0, 1, 2), watermarks, new Map())).toBe(false);
  });

  it("is false when a partition's watermarks are unknown", () => {
    expect(groupCaughtUp(tps(0), new Map(), offsets({ "in:0": 5 }))).toBe(false);
  });
});
