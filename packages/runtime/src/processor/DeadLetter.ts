import { createHash } from "node:crypto";
import type { ConsumedRecord, ProducedRecord } from "../engine/Engine.js";

/** Header names on dead-lettered and late records (values are UTF-8 strings). */
export const DeadLetterHeaders = {
  reason: "gametel.error.reason",
  path: "gametel.error.path",
  sourceTopic: "gametel.source.topic",
  sourcePartition: "gametel.source.partition",
  sourceOffset: "gametel.source.offset",
  sourceTimestamp: "gametel.source.timestamp",
  /** "true" when the value is a reference to the original record instead of its bytes (see `deadLetter`). */
  truncated: "gametel.dlq.truncated",
  /** Size in bytes of the original value (only on truncated dead letters). */
  originalSize: "gametel.original.size",
  /** Hex SHA-256 of the original value (only on truncated dead letters). */
  originalSha256: "gametel.original.sha256",
} as const;

/** Reasons used by the runtime itself (decode errors carry the core decoder's own reason). */
export const DeadLetterReasons = {
  emptyValue: "empty record value",
} as const;

/**
 * Default bound on a dead letter's bytes (key + value + headers). Below the broker's default `max.message.bytes`
 * (1,048,588) and librdkafka's default `message.max.bytes` (1,000,000), so a dead letter is accepted on a
 * dead-letter topic with default settings, whatever the size of the input record.
 */
export const DEAD_LETTER_MAX_BYTES_DEFAULT = 256 * 1024;

/** Bytes of the original value kept (base64) in a truncated dead letter. */
export const DEAD_LETTER_HEAD_BYTES = 1024;

/** Bound on one header value (reason, path) and on a kept key. */
const TEXT_MAX = 1024;

export function sourceHeaders(record: ConsumedRecord): Record<string, string> {
  return {
    [DeadLetterHeaders.sourceTopic]: record.topic,
    [DeadLetterHeaders.sourcePartition]: String(record.partition),
    [DeadLetterHeaders.sourceOffset]: record.offset.toString(),
    [DeadLetterHeaders.sourceTimestamp]: String(record.timestamp),
  };
}

/** C0 controls, DEL, and surrogates without their pair. */
const UNSAFE_HEADER_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Header text that is valid UTF-8 and free of control characters on every client: C0 controls, DEL and lone
 * surrogates are written as `\uXXXX` escapes (librdkafka's header API would cut a string at NUL; raw bytes differ
 * between clients). Longer text is cut to `TEXT_MAX` characters with a trailing `…`.
 */
export function headerText(text: string): string {
  const escaped = text.replace(
    UNSAFE_HEADER_CHARS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return escaped.length <= TEXT_MAX ? escaped : `${escaped.slice(0, TEXT_MAX)}…`;
}

const byteLength = (v: Buffer | string | null): number =>
  v === null ? 0 : typeof v === "string" ? Buffer.byteLength(v) : v.length;

function headersBytes(headers: Readonly<Record<string, Buffer | string>>): number {
  let n = 0;
  for (const [name, value] of Object.entries(headers)) n += Buffer.byteLength(name) + byteLength(value) + 8;
  return n;
}

/**
 * The dead-letter record: original key and bytes, the reason and where it came from.
 *
 * When the record would exceed `maxBytes` (key + value + headers), its value is replaced by a JSON reference
 * `{"truncated":true,"topic","partition","offset","size","sha256","head"}` (`head`: the first
 * `DEAD_LETTER_HEAD_BYTES` bytes, base64), the original headers are dropped, a key longer than 1 KiB is cut, and
 * the headers `gametel.dlq.truncated`, `gametel.original.size` and `gametel.original.sha256` say so. The original
 * stays in the input topic at the source offset for as long as its retention keeps it. So a dead letter never fails
 * on size, and an oversized record can never stall its partition.
 */
export function deadLetter(
  topic: string,
  record: ConsumedRecord,
  reason: string,
  path: string,
  maxBytes: number = DEAD_LETTER_MAX_BYTES_DEFAULT,
): ProducedRecord {
  const own = {
    ...sourceHeaders(record),
    [DeadLetterHeaders.reason]: headerText(reason),
    [DeadLetterHeaders.path]: headerText(path),
  };
  const full: ProducedRecord = {
    topic,
    key: record.key,
    value: record.value,
    headers: { ...copyHeaders(record), ...own },
  };
  const size = byteLength(record.key) + byteLength(record.value) + headersBytes(full.headers ?? {});
  if (size <= maxBytes) return full;
  const value = record.value ?? Buffer.alloc(0);
  const sha256 = createHash("sha256").update(value).digest("hex");
  const reference = JSON.stringify({
    truncated: true,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset.toString(),
    size: value.length,
    sha256,
    head: value.subarray(0, DEAD_LETTER_HEAD_BYTES).toString("base64"),
  });
  return {
    topic,
    key: record.key === null || record.key.length <= TEXT_MAX ? record.key : record.key.subarray(0, TEXT_MAX),
    value: reference,
    headers: {
      ...own,
      [DeadLetterHeaders.truncated]: "true",
      [DeadLetterHeaders.originalSize]: String(value.length),
      [DeadLetterHeaders.originalSha256]: sha256,
    },
  };
}

/** True when `deadLetter` replaced the value by a reference. */
export const isTruncatedDeadLetter = (record: ProducedRecord): boolean =>
  record.headers?.[DeadLetterHeaders.truncated] === "true";

/** A late event forwarded as it came, with its source position. */
export function lateRecord(topic: string, record: ConsumedRecord): ProducedRecord {
  return {
    topic,
    key: record.key,
    value: record.value,
    headers: { ...copyHeaders(record), ...sourceHeaders(record) },
  };
}

function copyHeaders(record: ConsumedRecord): Record<string, Buffer> {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(record.headers))
    if (!name.startsWith("gametel.")) headers[name] = value;
  return headers;
}
