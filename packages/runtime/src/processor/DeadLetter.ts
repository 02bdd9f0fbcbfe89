import type { ConsumedRecord, ProducedRecord } from "../engine/Engine.js";

/** Header names on dead-lettered and late records (values are UTF-8 strings). */
export const DeadLetterHeaders = {
  reason: "gametel.error.reason",
  path: "gametel.error.path",
  sourceTopic: "gametel.source.topic",
  sourcePartition: "gametel.source.partition",
  sourceOffset: "gametel.source.offset",
  sourceTimestamp: "gametel.source.timestamp",
} as const;

/** Reasons used by the runtime itself (decode errors carry the core decoder's own reason). */
export const DeadLetterReasons = {
  emptyValue: "empty record value",
} as const;

export function sourceHeaders(record: ConsumedRecord): Record<string, string> {
  return {
    [DeadLetterHeaders.sourceTopic]: record.topic,
    [DeadLetterHeaders.sourcePartition]: String(record.partition),
    [DeadLetterHeaders.sourceOffset]: record.offset.toString(),
    [DeadLetterHeaders.sourceTimestamp]: String(record.timestamp),
  };
}

/** The dead-letter record: original key and bytes, the reason and where it came from. */
export function deadLetter(
  topic: string,
  record: ConsumedRecord,
  reason: string,
  path: string,
): ProducedRecord {
  return {
    topic,
    key: record.key,
    value: record.value,
    headers: {
      ...copyHeaders(record),
      ...sourceHeaders(record),
      [DeadLetterHeaders.reason]: reason,
      [DeadLetterHeaders.path]: path,
    },
  };
}

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
