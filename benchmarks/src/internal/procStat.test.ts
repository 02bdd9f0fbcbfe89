import { describe, expect, it } from "vitest";
import { cpuSecondsFromStat, serviceOf } from "./procStat.js";

describe("serviceOf", () => {
  it.each([
    [
      "java -Dgametel.devstack=kafka@/work/.cache/devstack -Xmx1g kafka.Kafka",
      { service: "kafka", dir: "/work/.cache/devstack" },
    ],
    ["java -Dgametel.devstack=mongo@/x -Xms128m", { service: "mongo", dir: "/x" }],
    ["node dist/main.js", null],
  ])("%s", (cmdline, expected) => expect(serviceOf(cmdline)).toEqual(expected));
});

describe("cpuSecondsFromStat", () => {
  it("sums utime and stime, counting fields after the command name", () => {
    const stat = "3390 (java worker) S 1 3390 3390 0 -1 4194560 1 0 0 0 1234 566 0 0 20 0 40 0 100 0 0";
    expect(cpuSecondsFromStat(stat)).toBeCloseTo(18, 9);
  });
  it("throws on anything else", () => {
    expect(() => cpuSecondsFromStat("garbage")).toThrow();
  });
});
