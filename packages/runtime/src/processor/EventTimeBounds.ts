/**
 * The event times the loop accepts. An event outside them is dead-lettered before it touches any state, so one bad
 * clock cannot move a key's stream time into the far future (closing every window for good) or open windows in 1970.
 *
 * - `maxFutureMs`: how far an event may lie ahead of the processing time (the processor's clock when the batch is
 *   processed). Default one hour.
 * - `floorMs`: the earliest accepted event time, a fixed date and not a bound relative to now, so that backfills of
 *   old data keep working. Default 2000-01-01T00:00:00Z.
 */
export interface EventTimeBounds {
  readonly maxFutureMs: number;
  readonly floorMs: number;
}

export const EVENT_TIME_BOUNDS_DEFAULTS: EventTimeBounds = {
  maxFutureMs: 60 * 60 * 1000,
  floorMs: Date.UTC(2000, 0, 1),
};

/** Why `eventTime` is out of bounds at processing time `now`, or null when it is accepted. */
export function eventTimeOutOfRange(eventTime: number, now: number, bounds: EventTimeBounds): string | null {
  if (eventTime < bounds.floorMs) {
    return `event_time out of range: ${iso(eventTime)} is before the floor ${iso(bounds.floorMs)} (--min-event-time)`;
  }
  if (eventTime > now + bounds.maxFutureMs) {
    // The processing time stays out of the reason: a replay gives the same dead letter, byte for byte.
    return `event_time out of range: ${iso(eventTime)} is more than ${bounds.maxFutureMs} ms ahead of the processing time (--max-future-ms)`;
  }
  return null;
}

const iso = (ms: number): string => {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
};
