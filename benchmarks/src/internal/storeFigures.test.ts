import { describe, expect, it } from "vitest";
import { storeFigures, type ProcessorSample } from "./storeFigures.js";

const sample = (consumed: number, cpuSeconds: number, storeWrites = 0): ProcessorSample => ({
  consumed,
  cpuSeconds,
  storeWrites,
  documentsWritten: storeWrites * 10,
  bytesWritten: storeWrites * 1000,
});

describe("storeFigures", () => {
  it("relates whole-run writes to events, and CPU to the events between the two scrapes", () => {
    expect(storeFigures(sample(1000, 2), sample(11_000, 3, 110))).toEqual({
      writesPerEvent: 0.01,
      documentsPerEvent: 0.1,
      bytesPerEvent: 10,
      cpuMicrosPerEvent: 100,
    });
  });
  it("splits bytes per event by collection when the scrape has the breakdown", () => {
    const last = { ...sample(10_000, 3, 10), bytesByCollection: { keys: 4000, dedup: 6000 } };
    expect(storeFigures(sample(1000, 2), last)?.bytesPerEventByCollection).toEqual({ keys: 0.4, dedup: 0.6 });
  });
  it("has no CPU figure without records between the scrapes", () => {
    expect(storeFigures(sample(5, 1), sample(5, 2, 1))?.cpuMicrosPerEvent).toBeNull();
    expect(storeFigures(null, sample(5, 2, 1))?.cpuMicrosPerEvent).toBeNull();
  });
  it("is null when the processor saw no records", () => {
    expect(storeFigures(null, null)).toBeNull();
    expect(storeFigures(null, sample(0, 1))).toBeNull();
  });
});
