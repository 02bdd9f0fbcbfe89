/**
 * What a generator run wrote, counted record by record as it was returned. Definitions (the ones a reader of
 * the output can recompute on its own):
 * - `malformed`: records that a v1 decoder rejects.
 * - `valid_distinct`: valid records whose `event_id` had not been written before; `duplicates`: the others.
 * - `late`: distinct events written when their key's stream time (max `event_time` written for the same
 *   `partitionKey`) had reached their tumbling window's end + grace (`window_ms`, `grace_ms`).
 * - `out_of_order`: distinct events, not late, older than their key's stream time.
 * - `generated`: events the simulation produced; equals `valid_distinct` once everything held back is written.
 * - `total_records` = `valid_distinct` + `duplicates` + `malformed`.
 */
export interface GeneratorSummary {
  readonly seed: number;
  readonly generated: number;
  readonly valid_distinct: number;
  readonly duplicates: number;
  readonly out_of_order: number;
  readonly late: number;
  readonly malformed: number;
  readonly total_records: number;
  /** Smallest and largest `event_time` among the distinct events, epoch ms. */
  readonly first_event_time: number | null;
  readonly last_event_time: number | null;
  readonly window_ms: number;
  readonly grace_ms: number;
}
