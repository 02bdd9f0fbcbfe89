import { BSON, type Document } from "mongodb";
import { decodeEventUnknown, partitionKey, type TelemetryEvent } from "@gametel/core";
import { DeadLetterHeader } from "./DeadLetter.js";

/** A record ready for the producer; strings are sent as UTF-8. */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RoutedDocument =
  | { readonly kind: "event"; readonly record: OutgoingRecord }
  | {
      readonly kind: "dead-letter";
      readonly record: OutgoingRecord;
      readonly reason: string;
      readonly path: string;
    };

export interface RouteContext {
  readonly eventsTopic: string;
  readonly deadLetterTopic: string;
  /** `mongodb:<db>.<collection>` */
  readonly source: string;
}

/**
 * One inserted document → one record. The document minus its `_id` is decoded as a v1 event; a valid
 * event goes to the events topic as canonical v1 JSON keyed by `partitionKey`, anything else to the
 * dead-letter topic with the reason, the path, the source and the document `_id` in headers.
 */
export function routeDocument(document: Document, context: RouteContext): RoutedDocument {
  const decoded = decodeEventUnknown(toWireObject(document));
  if (decoded.ok) {
    return {
      kind: "event",
      record: {
        topic: context.eventsTopic,
        key: partitionKey(decoded.event),
        value: toWireJson(decoded.event),
      },
    };
  }
  const { reason, path } = decoded.error;
  const id = "_id" in document ? BSON.EJSON.stringify(document._id, { relaxed: true }) : "";
  return {
    kind: "dead-letter",
    reason,
    path,
    record: {
      topic: context.deadLetterTopic,
      key: id === "" ? null : id,
      value: BSON.EJSON.stringify(document, { relaxed: true }),
      headers: {
        [DeadLetterHeader.errorReason]: reason,
        [DeadLetterHeader.errorPath]: path,
        [DeadLetterHeader.source]: context.source,
        [DeadLetterHeader.documentId]: id,
      },
    },
  };
}

/**
 * Canonical v1 JSON of a decoded event: what the decoder returns (unknown fields dropped, optional ids
 * that were absent as null, fields in the schema's order) as one JSON object.
 */
export function toWireJson(event: TelemetryEvent): string {
  return JSON.stringify(event);
}

/**
 * The document's fields as the JSON the wire format describes: the top-level `_id` is MongoDB's, not the
 * event's, so it goes; BSON dates become epoch milliseconds (v1's time representation), so a game server
 * may store `event_time` as a date. Every other value is passed as it is and the decoder judges it
 * (an ObjectId or Decimal128 where a string or number belongs is rejected with its path).
 */
export function toWireObject(document: Document): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(document)) {
    if (field === "_id") continue;
    setOwn(out, field, datesToMillis(value));
  }
  return out;
}

function datesToMillis(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(datesToMillis);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, datesToMillis(v));
    return out;
  }
  return value;
}

// defineProperty, not assignment: a field named "__proto__" stays a field and never becomes the prototype.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
