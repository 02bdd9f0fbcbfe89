import { decodeEvent, partitionKey } from "@gametel/core";
import { partitionForKey } from "../engine/murmur2.js";
import type { ScenarioRecord } from "./kafka.js";

/**
 * Input the processors must refuse without a trace in any state, mixed into a normal dataset, as producers get it
 * wrong in practice (issue 13): events on another partition than their partition key's (a wrong record key, or a
 * null key placed elsewhere), a record far larger than the dead-letter topic accepts, and events dated 9999 and 1970.
 * Null-keyed records on the right partition are mixed in too: those are fine and must count.
 */
export interface HostileInput {
  /** The dataset with the hostile records mixed in, in production order. */
  readonly records: readonly ScenarioRecord[];
  /** Records the processor must dead-letter beyond the dataset's own malformed ones. */
  readonly refused: number;
  readonly misPartitioned: number;
  readonly eventTimeOutOfRange: number;
  readonly oversized: number;
  /** Malformed records whose decode error quotes a NUL byte of the input (the reason header must escape it). */
  readonly nulInReason: number;
  /** Records moved to a null key on their right partition (they count normally). */
  readonly nullKeyed: number;
  /** Input topic configuration the mix needs (room for the oversized record). */
  readonly topicConfig: Readonly<Record<string, string>>;
}

/** Size of the oversized record: twice the broker's default max.message.bytes. */
export const OVERSIZED_BYTES = 2 * 1024 * 1024;

/** Just under the broker's default max.message.bytes (1,048,588) with the record overhead; over librdkafka's 1,000,000. */
export const BROKER_DEFAULT_OVERSIZED_BYTES = 1_040_000;

/** A fresh, valid UUID v4 per index (the refused copies must not be duplicates of anything). */
const hostileId = (n: number): string => `7e57ab1e-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

export function withHostileInput(
  dataset: readonly ScenarioRecord[],
  options: {
    readonly partitions: number;
    readonly every?: number;
    /**
     * Size of the oversized record (default `OVERSIZED_BYTES`, with an input topic configured to take it). Use
     * `BROKER_DEFAULT_OVERSIZED_BYTES` for a record that fits a default-config topic but not librdkafka's default
     * `message.max.bytes`: then no topic configuration is needed.
     */
    readonly oversizedBytes?: number;
  },
): HostileInput {
  const { partitions } = options;
  const every = options.every ?? 250;
  const oversizedBytes = options.oversizedBytes ?? OVERSIZED_BYTES;
  const out: ScenarioRecord[] = [];
  let misPartitioned = 0;
  let outOfRange = 0;
  let nullKeyed = 0;
  let n = 0;
  const refuse = (record: ScenarioRecord) => out.push(record);
  dataset.forEach((record, i) => {
    const decoded = decodeEvent(
      typeof record.value === "string" ? record.value : new Uint8Array(record.value),
    );
    if (!decoded.ok || i % every !== every - 1) {
      out.push(record);
      return;
    }
    const event = decoded.event;
    const key = partitionKey(event);
    const home = partitionForKey(key, partitions);
    const away = (home + 1 + (n % (partitions - 1))) % partitions;
    const copy = (patch: Record<string, unknown>) =>
      JSON.stringify({ ...JSON.parse(String(record.value)), event_id: hostileId((n += 1)), ...patch });
    switch (Math.floor(i / every) % 4) {
      case 0: {
        // The original, moved to a null key on its own partition: fine. Then a copy keyed by something else.
        out.push({ key: null, value: record.value, partition: home });
        nullKeyed += 1;
        let wrongKey = `${key}#other`;
        for (let k = 0; partitionForKey(wrongKey, partitions) === home; k += 1) wrongKey = `${key}#other${k}`;
        refuse({ key: wrongKey, value: copy({}) });
        misPartitioned += 1;
        return;
      }
      case 1:
        // The original, then a null-keyed copy placed on another partition.
        out.push(record);
        refuse({ key: null, value: copy({}), partition: away });
        misPartitioned += 1;
        return;
      case 2:
        out.push(record);
        refuse({ key, value: copy({ event_time: Date.UTC(9999, 11, 31) }) });
        refuse({ key, value: copy({ event_time: 0 }) });
        outOfRange += 2;
        return;
      default:
        out.push(record);
        return;
    }
  });
  // One record of 2 MiB mid-stream on its key's partition: JSON, but larger than --max-event-bytes.
  out.splice(Math.floor(out.length / 2), 0, {
    key: "oversized",
    value: `{"pad":"${"x".repeat(oversizedBytes - 10)}"}`,
  });
  // Malformed JSON starting with a NUL byte: the decoder's reason quotes it.
  out.splice(Math.floor(out.length / 3), 0, { key: "nul", value: '\u0000{"event_id":"nul"}' });
  return {
    records: out,
    refused: misPartitioned + outOfRange + 2,
    misPartitioned,
    eventTimeOutOfRange: outOfRange,
    oversized: 1,
    nulInReason: 1,
    nullKeyed,
    topicConfig:
      oversizedBytes <= BROKER_DEFAULT_OVERSIZED_BYTES
        ? {}
        : { "max.message.bytes": String(4 * oversizedBytes) },
  };
}
