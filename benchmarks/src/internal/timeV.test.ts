import { describe, expect, it } from "vitest";
import { parseClock, parseTimeV } from "./timeV.js";

const REPORT = `\tCommand being timed: "node dist/main.js --exit-when-caught-up"
\tUser time (seconds): 12.34
\tSystem time (seconds): 1.50
\tPercent of CPU this job got: 120%
\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50
\tMaximum resident set size (kbytes): 204800
\tExit status: 0
`;

describe("parseClock", () => {
  it.each([
    ["0:00.10", 0.1],
    ["1:02.50", 62.5],
    ["1:00:01", 3601],
  ])("%s", (text, seconds) => expect(parseClock(text)).toBeCloseTo(seconds, 9));
  it.each(["", "12", "a:b"])("rejects %j", (text) => expect(() => parseClock(text)).toThrow());
});

describe("parseTimeV", () => {
  it("reads CPU, peak RSS, wall time and exit status", () => {
    expect(parseTimeV(REPORT)).toEqual({
      userSeconds: 12.34,
      systemSeconds: 1.5,
      maxRssBytes: 204800 * 1024,
      wallSeconds: 62.5,
      exitStatus: 0,
      signal: null,
    });
  });
  it("reports a signal instead of an exit status", () => {
    const killed = `\tCommand terminated by signal 9\n${REPORT.replace("\tExit status: 0\n", "")}`;
    expect(parseTimeV(killed)).toMatchObject({ exitStatus: null, signal: 9 });
  });
  it("throws on a report without the CPU lines", () => {
    expect(() => parseTimeV(REPORT.replace(/.*User time.*\n/, ""))).toThrow(/User time/);
  });
});
