import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createGenerator } from "../Generator.js";
import { createNdjsonSink, createNdjsonStreamSink } from "./NdjsonSink.js";

describe("NDJSON sink", () => {
  it("writes one record per line and keeps the stream open when asked", async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    const sink = createNdjsonStreamSink(stream, "memory", false);
    const records = [...createGenerator({ seed: 1, maxRecords: 3000, malformed: 0.1 })];
    for (const record of records) await sink.write(record);
    await sink.close();
    expect(chunks.join("")).toBe(records.map((r) => r.json + "\n").join(""));
    expect(stream.writableEnded).toBe(false);
  });

  it("writes a file and ends it on close", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gametel-ndjson-"));
    try {
      const path = join(dir, "out.ndjson");
      const sink = await createNdjsonSink(path);
      const records = [...createGenerator({ seed: 2, maxRecords: 500 })];
      for (const record of records) await sink.write(record);
      await sink.close();
      expect(await readFile(path, "utf8")).toBe(records.map((r) => r.json + "\n").join(""));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
