import { CollectorError, RefusalCodes } from "../CollectorError.js";
import type { CollectorLimits } from "../CollectorConfig.js";

/** The body formats a request may use (Content-Type). */
export type BodyFormat = "json" | "ndjson";

/** Picks the format from Content-Type: `application/json` (an array) or `application/x-ndjson` (one event a line). */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-ndjson" || type === "application/ndjson") return "ndjson";
  throw new CollectorError(
    415,
    RefusalCodes.unsupportedMediaType,
    "Content-Type must be application/json (an array of events) or application/x-ndjson (one event per line)",
  );
}

const malformed = (message: string) => new CollectorError(400, RefusalCodes.malformed, message);

/**
 * Splits a body into one UTF-8 JSON text per event, in request order, enforcing the per-request event count and
 * the per-event size. Malformed JSON refuses the whole request (nothing is written): a client bug, not one bad event.
 * Elements of an array are re-serialised compactly (JSON.stringify of the parsed value), NDJSON lines are kept as
 * they came.
 */
export function splitEvents(body: Buffer, format: BodyFormat, limits: CollectorLimits): Buffer[] {
  const events = format === "json" ? splitArray(body) : splitLines(body);
  if (events.length === 0) throw malformed("the request holds no events");
  if (events.length > limits.maxEventsPerRequest) {
    throw new CollectorError(
      413,
      RefusalCodes.tooManyEvents,
      `the request holds ${events.length} events; at most ${limits.maxEventsPerRequest} per request`,
    );
  }
  const large = events.findIndex((e) => e.byteLength > limits.maxEventBytes);
  if (large !== -1) {
    throw new CollectorError(
      413,
      RefusalCodes.eventTooLarge,
      `event ${large} is ${events[large]!.byteLength} bytes; at most ${limits.maxEventBytes} per event`,
    );
  }
  return events;
}

function splitArray(body: Buffer): Buffer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw malformed(`the body is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw malformed("the body must be a JSON array of events");
  return parsed.map((value) => Buffer.from(JSON.stringify(value) ?? "null", "utf8"));
}

function splitLines(body: Buffer): Buffer[] {
  const events: Buffer[] = [];
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    let stop = end;
    if (stop > start && body[stop - 1] === 0x0d) stop -= 1;
    const text = body.subarray(start, stop);
    if (!isBlank(text)) events.push(text);
    start = end + 1;
  }
  return events;
}

const isBlank = (text: Buffer): boolean => {
  for (const byte of text) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
};
