import { describe, expect, it } from "vitest";
import { playerStatsOf, projectionOf, summaryOf } from "./fromDocument.js";
import { METRIC_SUMMARY_FIELDS } from "@gametel/core";

describe("stored documents to view values (core's field tables)", () => {
  it("reads PlayerStats: counts and numbers, dates as epoch ms, null where the field may be null", () => {
    const stats = playerStatsOf({
      kills: 3,
      deaths: "2", // malformed: not a number
      kd_ratio: 1.5,
      avg_survival_ms: null,
      first_seen: new Date(1_000),
      last_seen: "yesterday",
      _state: { secret: true },
    });
    expect(stats).toMatchObject({
      kills: 3,
      deaths: 0,
      kd_ratio: 1.5,
      avg_survival_ms: null,
      first_seen: 1_000,
    });
    expect(stats.last_seen).toBeNull();
    expect(Object.keys(stats)).not.toContain("_state");
  });

  it.each([
    ["a full summary", { count: 4, min: 1, max: 9, p1: 1, p5: 1, p50: 5, p95: 9, p99: 9 }, 1],
    ["a summary written before p1/p5 were kept", { count: 4, min: 1, max: 9, p50: 5, p95: 9, p99: 9 }, null],
  ])("reads %s", (_name, stored, p1) => {
    const summary = summaryOf(stored)!;
    expect(Object.keys(summary)).toEqual(Object.keys(METRIC_SUMMARY_FIELDS));
    expect(summary.p1).toBe(p1);
    expect(summary.p50).toBe(5);
  });

  it("reads an absent summary as null and projects only the table's fields", () => {
    expect(summaryOf(null)).toBeNull();
    expect(summaryOf(undefined)).toBeNull();
    expect(projectionOf(METRIC_SUMMARY_FIELDS, "server_id")).toEqual({
      _id: 0,
      count: 1,
      min: 1,
      max: 1,
      p1: 1,
      p5: 1,
      p50: 1,
      p95: 1,
      p99: 1,
      server_id: 1,
    });
  });
});
