import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { CollectorError } from "../CollectorError.js";
import { bodyFormat, splitEvents } from "./Batch.js";
import { inflate, readBody } from "./Body.js";

const limits = {
  maxBodyBytes: 1000,
  maxDecompressedBytes: 10_000,
  maxEventsPerRequest: 3,
  maxEventBytes: 100,
};

async function refusal(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error instanceof CollectorError ? `${error.status} ${error.code}` : String(error);
  }
}

const stream = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(Buffer.from(c));
      controller.close();
    },
  });

describe("body", () => {
  test.each([
    ["application/json", "json"],
    ["application/json; charset=utf-8", "json"],
    ["application/x-ndjson", "ndjson"],
    ["application/ndjson", "ndjson"],
  ])("%s is %s", (type, format) => expect(bodyFormat(type)).toBe(format));

  test("other content types → 415", async () => {
    expect(await refusal(() => bodyFormat("text/plain"))).toBe("415 unsupported_media_type");
    expect(await refusal(() => bodyFormat(undefined))).toBe("415 unsupported_media_type");
  });

  test("JSON array and NDJSON split into one text per event", () => {
    expect(splitEvents(Buffer.from('[{"a":1}, {"b": 2}]'), "json", limits).map(String)).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
    expect(splitEvents(Buffer.from('{"a":1}\r\n\n  \n{"b": 2}'), "ndjson", limits).map(String)).toEqual([
      '{"a":1}',
      '{"b": 2}',
    ]);
  });

  test.each([
    ["[", "json", "400 malformed"],
    ['{"a":1}', "json", "400 malformed"],
    ["[]", "json", "400 malformed"],
    ["\n\n", "ndjson", "400 malformed"],
    ["[1,2,3,4]", "json", "413 too_many_events"],
    [`[{"a":"${"x".repeat(100)}"}]`, "json", "413 event_too_large"],
  ] as const)("%s (%s) → %s", async (body, format, expected) => {
    expect(await refusal(() => splitEvents(Buffer.from(body), format, limits))).toBe(expected);
  });

  test("a body is read up to its limit", async () => {
    expect(String(await readBody(stream("ab", "cd"), undefined, 4))).toBe("abcd");
    expect(await refusal(() => readBody(stream("ab", "cde"), undefined, 4))).toBe("413 body_too_large");
    expect(await refusal(() => readBody(stream("ab"), "5", 4))).toBe("413 body_too_large");
  });

  test("gzip inflates up to its limit; a bomb is refused", async () => {
    expect(String(await inflate(gzipSync("hello"), 10))).toBe("hello");
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    expect(await refusal(() => inflate(bomb, 1024 * 1024))).toBe("413 decompressed_too_large");
    expect(await refusal(() => inflate(Buffer.from("not gzip"), 1024))).toBe("400 bad_encoding");
  });
});
