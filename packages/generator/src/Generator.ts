import type { MalformedFormat, MalformedVariant } from "./Malformed.js";
import { createMalformedFactory } from "./Malformed.js";
import type { GeneratorSummary } from "./Summary.js";
import { Random } from "./internal/Random.js";
import type { Arrival } from "./StreamTime.js";
import { StreamTime } from "./StreamTime.js";
import type { TelemetryEvent } from "./internal/wire.js";
import { partitionKey } from "./internal/wire.js";
import { ActionQueue } from "./simulation/ActionQueue.js";
import { createSimulation } from "./simulation/Simulation.js";

export interface GeneratorOptions {
  /** PRNG seed (32-bit integer). The same seed and options give the same records, byte for byte. Default 1. */
  readonly seed?: number;
  /** Default "arena". */
  readonly gameId?: string;
  /** Player population. Default 100. */
  readonly players?: number;
  /** Concurrent matches. Default 8. */
  readonly matches?: number;
  /** Default 4. */
  readonly servers?: number;
  /** Game time of the first event, epoch ms. Default 2026-01-01T00:00:00Z. */
  readonly startTime?: number;
  /** Fraction of events written a second time (same bytes) a few records later. */
  readonly duplicates?: number;
  /** Fraction of events held back until a newer event of the same key was written (within the grace). */
  readonly outOfOrder?: number;
  /** Fraction of events held back until their window closed for their key (window end + grace). */
  readonly late?: number;
  /** Number of malformed records to add, as a fraction of events. */
  readonly malformed?: number;
  /** "document" keeps malformed records insertable into MongoDB. Default "json". */
  readonly malformedFormat?: MalformedFormat;
  /** Stop after exactly this many records (held records included). Default: endless. */
  readonly maxRecords?: number;
  /** Tumbling window size used to make and count late events. Default 300000 (5 minutes). */
  readonly windowMs?: number;
  /** Grace after the window end. Default 60000. */
  readonly graceMs?: number;
}

interface RecordBase {
  /** `partitionKey` of the event; for a malformed record, of the event it was made from. */
  readonly key: string;
  /** Event time, for pacing; for a malformed record, its template's. */
  readonly eventTime: number;
  /** The record as one line of JSON (no newline): the Kafka value and the NDJSON line. */
  readonly json: string;
}

export interface EventRecord extends RecordBase {
  readonly kind: "event";
  readonly event: TelemetryEvent;
  /** How it arrived relative to its key's stream time when it was written. */
  readonly arrival: Arrival;
}

export interface DuplicateRecord extends RecordBase {
  readonly kind: "duplicate";
  readonly event: TelemetryEvent;
}

export interface MalformedRecord extends RecordBase {
  readonly kind: "malformed";
  readonly variant: MalformedVariant;
  /** With `malformedFormat: "document"`: an insertable MongoDB document that is not a valid event. */
  readonly document: Readonly<Record<string, unknown>> | undefined;
}

export type GeneratedRecord = EventRecord | DuplicateRecord | MalformedRecord;

export interface Generator extends Iterable<GeneratedRecord> {
  /** The next record, or undefined once the generator is done. */
  next(): GeneratedRecord | undefined;
  /** Stop simulating; `next()` then returns what is still held back, then undefined. */
  stop(): void;
  /** Counts of what `next()` has returned so far. */
  summary(): GeneratorSummary;
  /** Game time the simulation has reached (event time of the newest simulated event), epoch ms. */
  readonly clock: number;
}

interface Held {
  readonly event: TelemetryEvent;
  readonly json: string;
  readonly key: string;
  /** Stream time of its key at which it is released. */
  readonly releaseAt: number;
  /** Released anyway after this many records. */
  readonly deadline: number;
  readonly duplicateAfter: number | undefined;
  released: boolean;
}

/** Simulated events waiting to be written, classified only when written. */
interface Queued {
  readonly kind: "queued";
  readonly event: TelemetryEvent;
  readonly json: string;
  readonly key: string;
  readonly duplicateAfter: number | undefined;
}

export const DEFAULT_START_TIME = Date.UTC(2026, 0, 1);
const GAME_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const OUT_OF_ORDER_MAX_HOLD = 5_000;
const LATE_MAX_HOLD = 1_000_000;
const DUPLICATE_MAX_DELAY = 50;

const fraction = (name: string, value: number | undefined): number => {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be a fraction between 0 and 1, got ${value}`);
  return v;
};
const positiveInt = (name: string, value: number, min = 1): number => {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
};

/**
 * A deterministic telemetry generator: a seeded game simulation plus fault injection. Pure: no I/O and no
 * clock; pacing and writing belong to the caller. Returns records one at a time with `next()`.
 */
export const createGenerator = (options: GeneratorOptions = {}): Generator => {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const gameId = options.gameId ?? "arena";
  if (!GAME_ID.test(gameId))
    throw new RangeError(`gameId must be 1-64 chars of A-Z a-z 0-9 _ . : -, got "${gameId}"`);
  const players = positiveInt("players", options.players ?? 100, 2);
  const matches = positiveInt("matches", options.matches ?? 8);
  const servers = positiveInt("servers", options.servers ?? 4);
  if (players < 2 * matches) {
    throw new RangeError(
      `players (${players}) must be at least 2 per concurrent match (matches = ${matches})`,
    );
  }
  const startTime = positiveInt("startTime", options.startTime ?? DEFAULT_START_TIME, 0);
  const duplicates = fraction("duplicates", options.duplicates);
  const outOfOrder = fraction("outOfOrder", options.outOfOrder);
  const late = fraction("late", options.late);
  const malformed = fraction("malformed", options.malformed);
  if (outOfOrder + late > 1) throw new RangeError("outOfOrder + late must not exceed 1");
  const maxRecords =
    options.maxRecords === undefined ? Infinity : positiveInt("maxRecords", options.maxRecords, 0);
  const streamTime = new StreamTime(
    positiveInt("windowMs", options.windowMs ?? 300_000),
    positiveInt("graceMs", options.graceMs ?? 60_000, 0),
  );

  // Three independent streams: adding a fault never changes the simulated game, and the malformed format
  // never changes which events are faulted.
  const simRandom = Random.fromSeed(seed);
  const faultRandom = simRandom.fork();
  const malformedRandom = faultRandom.fork();
  const simulation = createSimulation({ gameId, players, matches, servers, startTime }, simRandom);
  const makeMalformed = createMalformedFactory(malformedRandom, options.malformedFormat ?? "json");

  const outbox: (Queued | MalformedRecord)[] = [];
  let outboxHead = 0;
  const released: Held[] = [];
  let releasedHead = 0;
  const dueDuplicates = new ActionQueue<DuplicateRecord>();
  const heldByKey = new Map<string, Held[]>();
  const heldFifo: Held[] = [];
  let heldHead = 0;
  let heldCount = 0;
  /** Duplicates decided for events not yet written (they are scheduled when their original is written). */
  let duplicatesPromised = 0;
  let stopped = false;
  let clock = startTime;

  const counts = {
    generated: 0,
    valid_distinct: 0,
    duplicates: 0,
    out_of_order: 0,
    late: 0,
    malformed: 0,
    total_records: 0,
  };
  let firstEventTime: number | null = null;
  let lastEventTime: number | null = null;

  const release = (held: Held): void => {
    if (held.released) return;
    held.released = true;
    heldCount--;
    const list = heldByKey.get(held.key);
    if (list !== undefined) {
      const i = list.indexOf(held);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) heldByKey.delete(held.key);
    }
    released.push(held);
  };

  const releaseDue = (key: string): void => {
    const list = heldByKey.get(key);
    if (list !== undefined) {
      const now = streamTime.get(key) ?? -Infinity;
      for (const held of [...list]) if (now >= held.releaseAt) release(held);
    }
    for (;;) {
      const head = heldFifo[heldHead];
      if (head === undefined || (!head.released && head.deadline > counts.total_records)) break;
      release(head);
      heldHead++;
    }
    if (heldHead > 1024 && heldHead * 2 > heldFifo.length) {
      heldFifo.splice(0, heldHead);
      heldHead = 0;
    }
  };

  const writeEvent = (
    event: TelemetryEvent,
    json: string,
    key: string,
    duplicateAfter: number | undefined,
  ): EventRecord => {
    const arrival = streamTime.observe(key, event.event_time);
    counts.valid_distinct++;
    if (arrival === "late") counts.late++;
    else if (arrival === "out_of_order") counts.out_of_order++;
    if (firstEventTime === null || event.event_time < firstEventTime) firstEventTime = event.event_time;
    if (lastEventTime === null || event.event_time > lastEventTime) lastEventTime = event.event_time;
    if (duplicateAfter !== undefined) {
      duplicatesPromised--;
      dueDuplicates.push(counts.total_records + 1 + duplicateAfter, {
        kind: "duplicate",
        key,
        eventTime: event.event_time,
        json,
        event,
      });
    }
    return { kind: "event", key, eventTime: event.event_time, json, event, arrival };
  };

  const account = (record: GeneratedRecord): GeneratedRecord => {
    counts.total_records++;
    if (record.kind === "duplicate") counts.duplicates++;
    else if (record.kind === "malformed") counts.malformed++;
    else releaseDue(record.key);
    return record;
  };

  const pending = (): number =>
    outbox.length - outboxHead + heldCount + dueDuplicates.size + duplicatesPromised;

  /** Pulls one simulated event and decides its faults; false when the record budget is used up. */
  const simulateOne = (): boolean => {
    const budget = maxRecords - counts.total_records - pending();
    if (budget <= 0) return false;
    const event = simulation.next();
    counts.generated++;
    clock = event.event_time;
    const json = JSON.stringify(event);
    const key = partitionKey(event);
    // Always the same draws per event, whatever the fractions.
    const orderDraw = faultRandom.float();
    const duplicateDraw = faultRandom.float();
    const malformedDraw = faultRandom.float();
    const duplicateDelay = faultRandom.int(0, DUPLICATE_MAX_DELAY);
    let spare = budget - 1;
    const withMalformed = malformedDraw < malformed && spare-- > 0;
    const withDuplicate = duplicateDraw < duplicates && spare-- > 0;
    const duplicateAfter = withDuplicate ? duplicateDelay : undefined;
    if (withDuplicate) duplicatesPromised++;

    if (orderDraw < outOfOrder + late) {
      const isLate = orderDraw >= outOfOrder;
      const held: Held = {
        event,
        json,
        key,
        releaseAt: isLate ? streamTime.lateFrom(event.event_time) : event.event_time + 1,
        deadline: counts.total_records + (isLate ? LATE_MAX_HOLD : OUT_OF_ORDER_MAX_HOLD),
        duplicateAfter,
        released: false,
      };
      const list = heldByKey.get(key);
      if (list === undefined) heldByKey.set(key, [held]);
      else list.push(held);
      heldFifo.push(held);
      heldCount++;
    } else {
      outbox.push({ kind: "queued", event, json, key, duplicateAfter });
    }
    if (withMalformed) {
      const bad = makeMalformed(event);
      outbox.push({
        kind: "malformed",
        key,
        eventTime: event.event_time,
        json: bad.json,
        variant: bad.variant,
        document: bad.document,
      });
    }
    return true;
  };

  const next = (): GeneratedRecord | undefined => {
    for (;;) {
      const held = released[releasedHead];
      if (held !== undefined) {
        releasedHead++;
        if (releasedHead === released.length) {
          released.length = 0;
          releasedHead = 0;
        }
        return account(writeEvent(held.event, held.json, held.key, held.duplicateAfter));
      }
      const dueAt = dueDuplicates.peekTime();
      if (dueAt !== undefined && dueAt <= counts.total_records) {
        return account((dueDuplicates.pop() as { action: DuplicateRecord }).action);
      }
      const queued = outbox[outboxHead];
      if (queued !== undefined) {
        outboxHead++;
        if (outboxHead === outbox.length) {
          outbox.length = 0;
          outboxHead = 0;
        }
        return account(
          queued.kind === "queued"
            ? writeEvent(queued.event, queued.json, queued.key, queued.duplicateAfter)
            : queued,
        );
      }
      if (stopped || !simulateOne()) {
        stopped = true;
        // Drain: what is held back, oldest first, then the duplicates still due.
        const oldest = heldFifo.slice(heldHead).find((h) => !h.released);
        if (oldest !== undefined) {
          release(oldest);
          continue;
        }
        const duplicate = dueDuplicates.pop();
        if (duplicate !== undefined) return account(duplicate.action);
        return undefined;
      }
    }
  };

  return {
    next,
    stop: () => {
      stopped = true;
    },
    summary: () => ({
      seed,
      ...counts,
      first_event_time: firstEventTime,
      last_event_time: lastEventTime,
      window_ms: streamTime.windowMs,
      grace_ms: streamTime.graceMs,
    }),
    get clock() {
      return clock;
    },
    *[Symbol.iterator]() {
      for (let record = next(); record !== undefined; record = next()) yield record;
    },
  };
};
