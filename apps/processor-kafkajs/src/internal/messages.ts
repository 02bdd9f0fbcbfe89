import type { ConsumedRecord } from "@gametel/runtime/engine";
import type { IHeaders, KafkaMessage } from "kafkajs";

/** Protocol errors that mean "the group is rebalancing": the commit is dropped, the next owner replays. */
const REBALANCE_ERRORS = new Set([
  "REBALANCE_IN_PROGRESS",
  "ILLEGAL_GENERATION",
  "UNKNOWN_MEMBER_ID",
  "NOT_COORDINATOR",
  "NOT_COORDINATOR_FOR_GROUP",
]);

/** A kafkajs message as the runtime sees it (offsets as bigint, headers: last value wins, as bytes). */
export function toRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: BigInt(message.offset),
    key: message.key ?? null,
    value: message.value ?? null,
    timestamp: Number(message.timestamp),
    headers: toHeaders(message.headers),
  };
}

export function toHeaders(headers: IHeaders | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = Buffer.isBuffer(last) ? last : Buffer.from(last);
  }
  return out;
}

/** True for a rebalance-class protocol error, also when wrapped (kafkajs retries wrap the cause). */
export function isRebalanceError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === "string" && REBALANCE_ERRORS.has(type)) return true;
  }
  return false;
}
