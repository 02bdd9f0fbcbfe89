import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

/** Appends JSON lines to a file with back-pressure; `close` resolves when everything is on disk. */
export class NdjsonWriter {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path, { flags: "w" });
  }

  async write(row: unknown): Promise<void> {
    if (!this.stream.write(JSON.stringify(row) + "\n")) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    const done = once(this.stream, "close");
    this.stream.end();
    await done;
  }
}
