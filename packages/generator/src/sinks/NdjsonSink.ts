import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import type { Sink } from "./Sink.js";

const CHUNK_CHARS = 64 * 1024;

/** Newline-delimited JSON into a stream; `end` closes the stream on close (a file, not stdout). */
export const createNdjsonStreamSink = (stream: Writable, target: string, end: boolean): Sink => {
  let chunk = "";
  let failure: Error | undefined;
  stream.on("error", (error: Error) => {
    failure = error;
  });
  const flush = (): Promise<void> | undefined => {
    if (failure !== undefined) return Promise.reject(failure);
    if (chunk.length === 0) return undefined;
    const ok = stream.write(chunk);
    chunk = "";
    return ok ? undefined : once(stream, "drain").then(() => undefined);
  };
  return {
    target,
    write(record) {
      chunk += record.json + "\n";
      return chunk.length >= CHUNK_CHARS ? flush() : undefined;
    },
    async close() {
      await flush();
      if (end) {
        stream.end();
        await once(stream, "finish");
      } else if (stream.writableNeedDrain) {
        await once(stream, "drain");
      }
      if (failure !== undefined) throw failure;
    },
  };
};

/** NDJSON to a file, or to stdout for "-". */
export const createNdjsonSink = async (path: string): Promise<Sink> => {
  if (path === "-") return createNdjsonStreamSink(process.stdout, "stdout", false);
  const stream = createWriteStream(path);
  await once(stream, "open");
  return createNdjsonStreamSink(stream, `file:${path}`, true);
};
