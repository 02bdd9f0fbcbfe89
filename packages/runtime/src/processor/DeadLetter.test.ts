import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ConsumedRecord } from "../engine/Engine.js";
import { DEAD_LETTER_HEAD_BYTES, DeadLetterHeaders, deadLetter, headerText } from "./DeadLetter.js";

const record = (value: Buffer, key: Buffer | null = Buffer.from("k")): ConsumedRecord => ({
  topic: "in",
  partition: 2,
  offset: 41n,
  key,
  value,
  timestamp: 1_700_000_000_000,
  headers: { trace: Buffer.from("t-1"), "gametel.error.reason": Buffer.from("old") },
});

describe("deadLetter", () => {
  it("keeps the original key, bytes and foreign headers when it fits", () => {
    const letter = deadLetter("dlq", record(Buffer.from("{bad")), "invalid JSON", "", 4096);
    expect(letter.value).toEqual(Buffer.from("{bad"));
    expect(letter.key).toEqual(Buffer.from("k"));
    expect(letter.headers).toMatchObject({
      trace: Buffer.from("t-1"),
      [DeadLetterHeaders.reason]: "invalid JSON",
      [DeadLetterHeaders.sourcePartition]: "2",
      [DeadLetterHeaders.sourceOffset]: "41",
    });
    expect(letter.headers?.[DeadLetterHeaders.truncated]).toBeUndefined();
  });

  it.each([4096, 10_000, 256 * 1024])(
    "replaces a record larger than %i bytes by a reference that fits within the bound",
    (maxBytes) => {
      const value = Buffer.alloc(2 * 1024 * 1024, 0x61);
      const letter = deadLetter("dlq", record(value, Buffer.alloc(5000, 0x6b)), "too large", "", maxBytes);
      const sha256 = createHash("sha256").update(value).digest("hex");
      expect(letter.headers).toMatchObject({
        [DeadLetterHeaders.truncated]: "true",
        [DeadLetterHeaders.originalSize]: String(value.length),
        [DeadLetterHeaders.originalSha256]: sha256,
        [DeadLetterHeaders.reason]: "too large",
      });
      expect(letter.headers?.trace).toBeUndefined();
      const reference = JSON.parse(String(letter.value)) as Record<string, unknown>;
      expect(reference).toEqual({
        truncated: true,
        topic: "in",
        partition: 2,
        offset: "41",
        size: value.length,
        sha256,
        head: value.subarray(0, DEAD_LETTER_HEAD_BYTES).toString("base64"),
      });
      const size =
        (letter.key as Buffer).length +
        Buffer.byteLength(String(letter.value)) +
        Object.entries(letter.headers ?? {}).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
      expect(size).toBeLessThanOrEqual(maxBytes);
    },
  );
});

describe("headerText", () => {
  it.each([
    ["plain", "plain"],
    ["nul\u0000inside", "nul\\u0000inside"],
    ["tab\tand\nnewline", "tab\\u0009and\\u000anewline"],
    ["del\u007f", "del\\u007f"],
    ["lone \ud800 surrogate", "lone \\ud800 surrogate"],
    ["trailing \udc00", "trailing \\udc00"],
    ["pair 😀 kept", "pair 😀 kept"],
    ["ünïcödé", "ünïcödé"],
  ])("%j becomes %j", (input, expected) => {
    const out = headerText(input);
    expect(out).toBe(expected);
    expect(Buffer.from(out, "utf8").toString("utf8")).toBe(out);
  });

  it("cuts text longer than 1 KiB", () => {
    expect(headerText("x".repeat(5000))).toBe(`${"x".repeat(1024)}…`);
  });
});
