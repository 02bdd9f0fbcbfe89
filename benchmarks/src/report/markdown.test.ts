import { describe, expect, it } from "vitest";
import { summarize } from "../internal/stats.js";
import { cell } from "./markdown.js";

describe("cell", () => {
  it.each([
    [summarize([1000, 2000, 3000]), 0, "2,000 (1,000–3,000)"],
    [summarize([1234.5]), 1, "1,234.5"],
    [summarize([7, 7]), 0, "7"],
    [null, 0, "–"],
  ])("%j → %s", (s, digits, text) => expect(cell(s, digits)).toBe(text));
});
