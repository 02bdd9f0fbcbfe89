import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createGenerator } from "@gametel/generator";
import { createProgressReporter } from "./Progress.js";

const capture = () => {
  const stream = new PassThrough() as PassThrough & NodeJS.WriteStream;
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
};

describe("createProgressReporter", () => {
  it("prints plain lines at its period outside a terminal, with the live rate", () => {
    const out = capture();
    const reporter = createProgressReporter({ mode: "auto", stream: out.stream, linesEveryMs: 1000 });
    const generator = createGenerator({ seed: 1, maxRecords: 5000 });
    reporter.begin("writing to memory");
    for (let t = 0; t <= 3000; t += 250) {
      for (let i = 0; i < 250; i++) generator.next();
      reporter.update({ summary: generator.summary(), elapsedMs: t, clock: generator.clock });
    }
    reporter.stop();
    const lines = out.text().trim().split("\n");
    expect(lines[0]).toBe("start writing to memory");
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines[1]).toMatch(/^progress elapsed_s=1\.0 records=1250 rate=1000\/s .* game_time=2026-01-01T/);
  });

  it("prints nothing when off", () => {
    const out = capture();
    const reporter = createProgressReporter({ mode: "off", stream: out.stream });
    reporter.begin("x");
    reporter.update({ summary: createGenerator().summary(), elapsedMs: 10_000, clock: 0 });
    expect(out.text()).toBe("");
  });
});
