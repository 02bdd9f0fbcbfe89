import { describe, expect, it } from "vitest";
import { summarize } from "../internal/stats.js";
import { cell, toMarkdown } from "./markdown.js";
import { targetsOf, type BenchResults } from "./Results.js";

describe("cell", () => {
  it.each([
    [summarize([1000, 2000, 3000]), 0, "2,000 (1,000–3,000)"],
    [summarize([1234.5]), 1, "1,234.5"],
    [summarize([7, 7]), 0, "7"],
    [null, 0, "–"],
  ])("%j → %s", (s, digits, text) => expect(cell(s, digits)).toBe(text));
});

describe("toMarkdown targets", () => {
  const results = (withheld: string | null): BenchResults => {
    const ratios = { "rdkafka / kafkajs": 1.1, "rdkafka / Kafka Streams": 1.1 };
    return {
      generatedAt: "2026-12-07T00:00:00.000Z",
      profile: withheld === null ? "full" : "quick",
      options: {},
      machine: {
        cpuModel: "test",
        cores: 2,
        memoryGb: 24,
        os: "linux",
        loadAverageAtStart: [0, 0, 0],
        versions: {},
      },
      dataset: null,
      core: null,
      throughput: null,
      latency: null,
      ratios,
      targets: targetsOf(ratios, null, null, withheld),
      verdictsWithheld: withheld,
    };
  };
  it("says why a quick run has no verdicts and prints none", () => {
    const md = toMarkdown(results("--quick is a smoke run"));
    expect(md).toContain("**Verdicts withheld:** --quick is a smoke run.");
    expect(md).toContain("| node-rdkafka engine ≥ 1.0× Kafka Streams | 1.10× | withheld |");
    expect(md).not.toMatch(/\| (yes|\*\*no\*\*) \|$/m);
  });
  it("judges a full run", () => {
    const md = toMarkdown(results(null));
    expect(md).not.toContain("withheld");
    expect(md).toContain("| node-rdkafka engine ≥ 1.0× Kafka Streams | 1.10× | yes |");
    expect(md).toContain("| node-rdkafka engine ≥ 1.5× the kafkajs engine | 1.10× | **no** |");
  });
});
