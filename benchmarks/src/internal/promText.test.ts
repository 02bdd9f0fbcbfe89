import { describe, expect, it } from "vitest";
import { sumByLabel, sumMetrics } from "./promText.js";

const TEXT = `# HELP gametel_stream_store_writes_total MongoDB bulk write attempts.
# TYPE gametel_stream_store_writes_total counter
gametel_stream_store_writes_total{collection="player_stats"} 12
gametel_stream_store_writes_total{collection="keys"} 30
gametel_stream_store_writes_total_other 99
process_cpu_seconds_total 1.25
gametel_stream_records_consumed_total{topic="in{put}"} 2000
bad_line{x="1"} NaN
`;

describe("sumMetrics", () => {
  it("adds up every label set of the named metrics, ignoring comments and other names", () => {
    expect(
      sumMetrics(TEXT, [
        "gametel_stream_store_writes_total",
        "process_cpu_seconds_total",
        "gametel_stream_records_consumed_total",
        "bad_line",
        "absent_total",
      ]),
    ).toEqual({
      gametel_stream_store_writes_total: 42,
      process_cpu_seconds_total: 1.25,
      gametel_stream_records_consumed_total: 2000,
    });
  });
});

describe("sumByLabel", () => {
  it("sums one metric by one label's value and leaves out lines without it", () => {
    const text = `${TEXT}gametel_stream_store_writes_total{le="1",collection="keys"} 5
gametel_stream_store_writes_total 7
`;
    expect(sumByLabel(text, "gametel_stream_store_writes_total", "collection")).toEqual({
      player_stats: 12,
      keys: 35,
    });
  });
});
