import type { ObjectId } from "mongodb";
import { describe, expect, test } from "vitest";
import {
  copyPageFilter,
  parseCopySince,
  RECOVERY_MARGIN_MS,
  recoveryArguments,
  sinceFilter,
  suggestCopySince,
} from "./copySince.js";

describe("parseCopySince", () => {
  test.each(["2026-12-07T23:00:00Z", "2026-12-07T23:00Z", "2026-12-07T23:00:00.123+01:00"])(
    "accepts %s",
    (v) => {
      expect(parseCopySince(v).getTime()).toBe(new Date(v).getTime());
    },
  );

  test.each(["2026-12-07", "2026-12-07T23:00:00", "yesterday", "1733612400000", "2026-13-07T23:00:00Z", ""])(
    "refuses %s with what it expects",
    (v) => {
      expect(() => parseCopySince(v)).toThrow(/ISO 8601 time with a zone/);
    },
  );
});

describe("sinceFilter", () => {
  const at = new Date("2026-12-07T23:00:00.500Z");

  test("a time field matches epoch milliseconds and BSON dates", () => {
    expect(sinceFilter("event_time", at)).toEqual({
      $or: [{ event_time: { $gte: at.getTime() } }, { event_time: { $gte: at } }],
    });
  });

  test("_id compares ObjectIds from the second of `since`", () => {
    const filter = sinceFilter("_id", at) as { _id: { $gte: ObjectId } };
    expect(filter._id.$gte.getTimestamp().getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
  });
});

describe("copyPageFilter", () => {
  const since = { field: "t", at: new Date(0) };
  test("first page of a full copy is everything", () => {
    expect(copyPageFilter(null, null)).toEqual({});
  });
  test("later pages continue after the last _id", () => {
    expect(copyPageFilter(7, null)).toEqual({ _id: { $gt: 7 } });
  });
  test("a copy since a time keeps the time condition on every page", () => {
    expect(copyPageFilter(null, since)).toEqual(sinceFilter("t", since.at));
    expect(copyPageFilter(7, since)).toEqual({ $and: [{ _id: { $gt: 7 } }, sinceFilter("t", since.at)] });
  });
});

describe("the suggested recovery", () => {
  test("goes the margin back from the last saved offset, or from now", () => {
    const saved = new Date("2026-12-07T23:10:00Z");
    const now = new Date("2026-12-07T23:20:00Z");
    expect(suggestCopySince(saved, now).getTime()).toBe(saved.getTime() - RECOVERY_MARGIN_MS);
    expect(suggestCopySince(null, now).getTime()).toBe(now.getTime() - RECOVERY_MARGIN_MS);
  });

  test("names the source, resets it and copies since the time (the field only when not the default)", () => {
    const at = new Date("2026-12-07T23:05:00Z");
    expect(recoveryArguments("telemetry", at, "event_time")).toBe(
      "--name telemetry --reset --copy-since 2026-12-07T23:05:00.000Z",
    );
    expect(recoveryArguments("s", at, "_id")).toBe(
      "--name s --reset --copy-since 2026-12-07T23:05:00.000Z --copy-since-field _id",
    );
  });
});
