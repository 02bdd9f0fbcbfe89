import { describe, expect, it } from "vitest";
import { FULL, QUICK, parseBenchArgs } from "./options.js";

describe("parseBenchArgs", () => {
  it("defaults to the full suite of the issue", () => {
    expect(parseBenchArgs([])).toMatchObject({
      profile: "full",
      events: FULL.events,
      reps: 3,
      warmup: true,
      rates: [5000, 10000, 20000],
      rateSeconds: 60,
      scenarios: ["core", "throughput", "latency", "collector"],
      name: "latest",
    });
  });
  it("--quick is a small smoke version", () => {
    expect(parseBenchArgs(["--quick"])).toMatchObject({
      profile: "quick",
      name: "quick",
      events: QUICK.events,
      reps: 1,
      warmup: false,
      rates: [250],
      rateSeconds: 10,
    });
  });
  it("explicit flags win over the profile", () => {
    expect(
      parseBenchArgs([
        "--quick",
        "--events",
        "200000",
        "--reps",
        "3",
        "--rates",
        "2000,5000",
        "--rate-seconds",
        "20",
      ]),
    ).toMatchObject({ profile: "custom", events: 200000, reps: 3, rates: [2000, 5000], rateSeconds: 20 });
    expect(parseBenchArgs(["--no-warmup"]).warmup).toBe(false);
    expect(parseBenchArgs(["--runners", "rdkafka,kstreams"]).runners).toEqual(["rdkafka", "kstreams"]);
  });
  it("refuses bad values", () => {
    const exit = (argv: string[]) => () => parseBenchArgs(argv);
    expect(exit(["--events", "-5"])).toThrow();
    expect(exit(["--runners", "flink"])).toThrow();
  });
});
