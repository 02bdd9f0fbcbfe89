import { DeadLetterHeaders } from "@gametel/runtime";
import { describe, expect, it } from "vitest";
import { DeadLetterTally } from "./DeadLetterTally.js";

const from = (topic: string, partition: number, offset: number) => ({
  [DeadLetterHeaders.sourceTopic]: Buffer.from(topic),
  [DeadLetterHeaders.sourcePartition]: Buffer.from(String(partition)),
  [DeadLetterHeaders.sourceOffset]: Buffer.from(String(offset)),
  [DeadLetterHeaders.reason]: Buffer.from("bad json"),
});
const at = (offset: number) => ({ topic: "telemetry.dlq", partition: 0, offset: String(offset) });

describe("DeadLetterTally", () => {
  it("counts a dead letter re-sent on replay once, by its source topic, partition and offset", () => {
    const tally = new DeadLetterTally();
    tally.add(from("telemetry", 0, 5), at(0));
    tally.add(from("telemetry", 0, 5), at(1)); // the same bad record, dead-lettered again after a crash
    tally.add(from("telemetry", 1, 5), at(2));
    tally.add(from("telemetry", 0, 6), at(3));
    tally.add(from("other", 0, 5), at(4));
    expect(tally.records).toBe(5);
    expect(tally.distinct).toBe(4);
  });

  it("counts records without source headers by their own position", () => {
    const tally = new DeadLetterTally();
    tally.add({}, at(0));
    tally.add({}, at(1));
    tally.add({}, at(1));
    expect([tally.records, tally.distinct]).toEqual([3, 2]);
  });

  it("does not confuse sources whose fields run together", () => {
    const tally = new DeadLetterTally();
    tally.add(from("t1", 1, 1), at(0));
    tally.add(from("t", 11, 1), at(1));
    expect(tally.distinct).toBe(2);
  });
});
