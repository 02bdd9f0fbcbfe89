import { describe, expect, it } from "vitest";
import { processorTopics } from "./topics.js";

describe("processorTopics", () => {
  const topics = { input: "in", dlq: "dlq", late: null, output: "out", partitions: 12 };

  it("lists input, dead letters and a compacted output, all with the configured partitions", () => {
    expect(processorTopics(topics)).toEqual([
      { name: "in", partitions: 12, config: {} },
      { name: "dlq", partitions: 12, config: {} },
      { name: "out", partitions: 12, config: { "cleanup.policy": "compact" } },
    ]);
  });

  it("adds the late topic only when enabled", () => {
    expect(processorTopics({ ...topics, late: "late" }).map((t) => t.name)).toEqual([
      "in",
      "dlq",
      "late",
      "out",
    ]);
  });
});
