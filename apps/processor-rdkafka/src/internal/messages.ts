import type { ConsumedRecord } from "@gametel/runtime/engine";
import type { LibrdKafkaError, Message, MessageHeader } from "node-rdkafka";

/** A node-rdkafka message as the runtime sees it (headers: last value wins; string keys become bytes). */
export function toRecord(message: Message): ConsumedRecord {
  const headers: Record<string, Buffer> = {};
  for (const header of message.headers ?? []) {
    for (const [name, value] of Object.entries(header))
      headers[name] = Buffer.isBuffer(value) ? value : Buffer.from(value);
  }
  const key =
    message.key === undefined || message.key === null
      ? null
      : Buffer.isBuffer(message.key)
        ? message.key
        : Buffer.from(message.key);
  return {
    topic: message.topic,
    partition: message.partition,
    offset: BigInt(message.offset),
    key,
    value: message.value,
    timestamp: message.timestamp ?? 0,
    headers,
  };
}

export function toError(error: LibrdKafkaError | Error): Error {
  if (error instanceof Error) return error;
  return Object.assign(new Error(error.message), { code: error.code, origin: error.origin });
}

/** Produced headers in node-rdkafka's shape: one single-entry object per header. */
export function toHeaderList(headers: Readonly<Record<string, Buffer | string>>): MessageHeader[] {
  return Object.entries(headers).map(([name, value]) => ({ [name]: value }));
}
