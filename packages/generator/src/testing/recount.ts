import { decodeEvent, partitionKey } from "@gametel/core";

export interface Recount {
  readonly valid_distinct: number;
  readonly duplicates: number;
  readonly out_of_order: number;
  readonly late: number;
  readonly malformed: number;
  readonly total_records: number;
}

/**
 * Counts faults in written records from the records alone, with @gametel/core as the judge of validity,
 * independently of the generator's own bookkeeping (see GeneratorSummary for the definitions).
 */
export const recount = (records: Iterable<string>, windowMs: number, graceMs: number): Recount => {
  const seen = new Set<string>();
  const streamTime = new Map<string, number>();
  const counts = {
    valid_distinct: 0,
    duplicates: 0,
    out_of_order: 0,
    late: 0,
    malformed: 0,
    total_records: 0,
  };
  for (const record of records) {
    counts.total_records++;
    const result = decodeEvent(record);
    if (!result.ok) {
      counts.malformed++;
      continue;
    }
    const event = result.event;
    if (seen.has(event.event_id)) {
      counts.duplicates++;
      continue;
    }
    seen.add(event.event_id);
    counts.valid_distinct++;
    const key = partitionKey(event);
    const max = streamTime.get(key);
    if (max !== undefined) {
      const windowEnd = Math.floor(event.event_time / windowMs) * windowMs + windowMs;
      if (max >= windowEnd + graceMs) counts.late++;
      else if (event.event_time < max) counts.out_of_order++;
    }
    if (max === undefined || event.event_time > max) streamTime.set(key, event.event_time);
  }
  return counts;
};

/** The NDJSON lines of a file's text (a final newline ends the last record). */
export const ndjsonLines = (text: string): string[] => {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
};
