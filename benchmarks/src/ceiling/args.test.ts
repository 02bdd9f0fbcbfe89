import { describe, expect, it } from "vitest";
import { EndTracker, parseCeilingArgs, threadCpuSeconds } from "./args.js";

describe("EndTracker", () => {
  it("is done once every non-empty partition reached its end offset", () => {
    const t = new EndTracker(
      new Map([
        [0, 3n],
        [1, 2n],
        [2, 0n],
      ]),
    );
    t.add(0, 2, 20, 1n);
    expect(t.done).toBe(false);
    t.add(1, 2, 20, 1n);
    expect(t.done).toBe(false);
    t.add(0, 1, 10, 2n);
    expect(t.done).toBe(true);
    expect(t.report()).toMatchObject({ records: 5, bytes: 50 });
  });
  it("is done at once for an empty topic", () => {
    expect(new EndTracker(new Map([[0, 0n]])).done).toBe(true);
  });
});

describe("parseCeilingArgs", () => {
  it("reads the processors' flag names", () => {
    expect(
      parseCeilingArgs(["--brokers", "a:1,b:2", "--input-topic", "t", "--group", "g", "--batch-size", "500"]),
    ).toEqual({ brokers: ["a:1", "b:2"], topic: "t", group: "g", batchSize: 500, maxWaitMs: 500, set: {} });
  });
  it("takes extra client properties as --set key=value", () => {
    const base = ["--brokers", "a:1", "--input-topic", "t", "--group", "g"];
    expect(
      parseCeilingArgs([...base, "--set", "fetch.wait.max.ms=10", "--set", "client.rack=a=b"]).set,
    ).toEqual({ "fetch.wait.max.ms": "10", "client.rack": "a=b" });
    expect(() => parseCeilingArgs([...base, "--set", "novalue"])).toThrow(/key=value/);
  });
});

describe("threadCpuSeconds", () => {
  it.runIf(process.platform === "linux")("names the main thread and counts its CPU", () => {
    const before = threadCpuSeconds().main ?? 0;
    // Burn 50 ms of CPU (not wall time: the machine may be shared), five clock ticks.
    const start = process.cpuUsage();
    let x = 0;
    while (process.cpuUsage(start).user < 50_000) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(threadCpuSeconds().main).toBeGreaterThan(before);
  });
});
