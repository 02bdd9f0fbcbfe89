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

/** kafkajs errors that mean "no broker answers" (or the one that does is not ready yet after a restart). */
const UNREACHABLE_NAMES = new Set([
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
  "KafkaJSMetadataNotLoaded",
]);
/** Protocol errors of a broker that is starting, or of partitions and groups whose leader is not back yet. */
const UNAVAILABLE_TYPES = new Set([
  "LEADER_NOT_AVAILABLE",
  "NOT_LEADER_FOR_PARTITION",
  "NOT_LEADER_OR_FOLLOWER",
  "COORDINATOR_NOT_AVAILABLE",
  "GROUP_COORDINATOR_NOT_AVAILABLE",
  "COORDINATOR_LOAD_IN_PROGRESS",
  "GROUP_LOAD_IN_PROGRESS",
  "REQUEST_TIMED_OUT",
  "NETWORK_EXCEPTION",
  "BROKER_NOT_AVAILABLE",
  "KAFKA_STORAGE_ERROR",
]);
const SOCKET_CODES =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ENOTFOUND|EAI_AGAIN)\b/;

/**
 * True when an error (or any cause it wraps: kafkajs retries wrap the last one) says the cluster cannot be reached:
 * a refused, closed or timed-out connection, or a broker that is back but not ready yet. The engine then waits within
 * `--broker-patience-ms` instead of failing.
 */
export function isBrokerUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (UNREACHABLE_NAMES.has(e.name)) return true;
    const type = (e as { type?: unknown }).type;
    if (typeof type === "string" && UNAVAILABLE_TYPES.has(type)) return true;
    if (SOCKET_CODES.test(e.message) || SOCKET_CODES.test(String((e as { code?: unknown }).code ?? "")))
      return true;
  }
  return false;
}
