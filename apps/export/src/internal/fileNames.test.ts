import { describe, expect, test } from "vitest";
import { eventsFileName, insightFileName, partitionDir, rangeTag } from "./fileNames.js";

describe("file names", () => {
  test("are functions of the range", () => {
    expect(rangeTag(null)).toBe("start");
    expect(rangeTag(Date.parse("2026-12-07T16:54:00.123Z"))).toBe("20261207T165400123Z");
    expect(insightFileName("player_stats", null, Date.parse("2026-12-07T00:00:00Z"))).toBe(
      "player_stats_start_20261207T000000000Z.parquet",
    );
    expect(eventsFileName(3, 10n, 250n)).toBe("events_p3_10_250.parquet");
  });

  test("partition folders are Hive style, with the game id escaped", () => {
    expect(partitionDir("/x", "match_stats", "eu:arena", "2026-12-07")).toBe(
      "/x/match_stats/game_id=eu%3Aarena/date=2026-12-07",
    );
  });
});
