import { describe, expect, test } from "vitest";
import { parseJavaMajor } from "./java.mjs";

describe("parseJavaMajor", () => {
  test.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_392"', 8],
    ['openjdk version "11.0.2" 2019-01-15', 11],
    ['openjdk version "25-ea" 2025-09-16', 25],
  ])("reads %s as %i", (output, major) => {
    expect(parseJavaMajor(output)).toBe(major);
  });

  test.each(["", "bash: java: command not found", 'version "x.y"'])("rejects %j", (output) => {
    expect(parseJavaMajor(output)).toBeUndefined();
  });
});
