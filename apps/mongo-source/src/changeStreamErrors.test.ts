import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from "mongodb";
import { describe, expect, test } from "vitest";
import { isMongoOutage, isResumePointError, ResumePointLostError } from "./changeStreamErrors.js";

const serverError = (code: number | undefined, errmsg: string) =>
  new MongoServerError({ ok: 0, errmsg, ...(code === undefined ? {} : { code }) });

describe("isResumePointError", () => {
  test.each([
    [286, "Error on remote shard: ChangeStreamHistoryLost: Resume of change stream was not possible"],
    [280, "cannot resume stream; the resume token was not found"],
    [260, "Invalid resume token"],
    [40_647, "resume of change stream was not possible, as the resume token was not found"],
    [9, "the resume point may no longer be in the oplog"],
  ])("code %s is a lost resume point", (code, message) => {
    expect(isResumePointError(serverError(code, message), false)).toBe(true);
  });

  test("mongo-java-server's code-less answer to a malformed token counts only when resuming from a saved point", () => {
    const e = serverError(undefined, 'Unknown error: For input string: "zz" under radix 16');
    expect(isResumePointError(e, true)).toBe(true);
    expect(isResumePointError(e, false)).toBe(false);
  });

  test.each([
    ["an auth failure", serverError(13, "not authorized on gametel to execute command")],
    ["a network error", new MongoNetworkError("connection reset")],
    ["a plain error", new Error("resume token")],
  ])("%s is not", (_what, error) => {
    expect(isResumePointError(error, true)).toBe(false);
  });
});

describe("ResumePointLostError", () => {
  test("is one line naming the source, the server's code and the recovery command", () => {
    const recovery = "--name eu --reset --copy-since 2026-12-07T23:05:00.000Z";
    const e = new ResumePointLostError("eu", "ChangeStreamHistoryLost:\n resume point\tgone", 286, recovery);
    expect(e.message).not.toContain("\n");
    expect(e.message).toContain('source "eu"');
    expect(e.message).toContain("code 286");
    expect(e.message).toContain(`gametel-mongo-source ${recovery}`);
    expect(e.message).toContain("--on-resume-lost recopy");
  });
});

describe("isMongoOutage", () => {
  test("network errors, server selection timeouts and resumable server errors are outages", () => {
    expect(isMongoOutage(new MongoNetworkError("connect ECONNREFUSED 127.0.0.1:27017"))).toBe(true);
    expect(isMongoOutage(new MongoServerSelectionError("Server selection timed out", {} as never))).toBe(
      true,
    );
    const resumable = serverError(91, "ShutdownInProgress");
    resumable.addErrorLabel("ResumableChangeStreamError");
    expect(isMongoOutage(resumable)).toBe(true);
  });

  test("a lost resume point, an auth failure or a plain error is not", () => {
    const lost = serverError(286, "ChangeStreamHistoryLost");
    lost.addErrorLabel("ResumableChangeStreamError");
    expect(isMongoOutage(lost)).toBe(false);
    expect(isMongoOutage(serverError(13, "not authorized"))).toBe(false);
    expect(isMongoOutage(new Error("connect ECONNREFUSED"))).toBe(false);
  });
});
