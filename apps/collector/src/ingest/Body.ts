import { gunzip } from "node:zlib";
import { CollectorError, RefusalCodes } from "../CollectorError.js";

const tooLarge = (limit: number) =>
  new CollectorError(413, RefusalCodes.bodyTooLarge, `the request body is larger than ${limit} bytes`);

/**
 * Reads a request body, refusing it as soon as it passes `maxBytes` (a declared Content-Length over the limit is
 * refused before reading anything).
 */
export async function readBody(
  stream: ReadableStream<Uint8Array> | null,
  contentLength: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  if (contentLength !== undefined && /^\d+$/.test(contentLength) && Number(contentLength) > maxBytes) {
    throw tooLarge(maxBytes);
  }
  if (stream === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Inflates a gzip body with an output cap: zlib stops as soon as the output would pass `maxBytes`, so a gzip bomb
 * costs at most `maxBytes` of memory and the time to inflate that much.
 */
export function inflate(body: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: maxBytes }, (error, result) => {
      if (error === null) return resolve(result);
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) {
        return reject(
          new CollectorError(
            413,
            RefusalCodes.decompressedTooLarge,
            `the body inflates to more than ${maxBytes} bytes`,
          ),
        );
      }
      reject(
        new CollectorError(400, RefusalCodes.badEncoding, `the body is not valid gzip: ${error.message}`),
      );
    });
  });
}
