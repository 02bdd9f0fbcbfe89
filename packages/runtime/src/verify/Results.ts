/**
 * Results in a comparable form: plain objects keyed by document `_id`, times as epoch ms numbers, no private
 * fields (`_state`, `_offset`, `_parts`, ...) and no `updated_at`.
 */
export type ResultDoc = Readonly<Record<string, unknown>>;

export interface Results {
  /** `player_stats` by `_id` (= game_id:player_id). */
  readonly players: ReadonlyMap<string, ResultDoc>;
  /** `player_stats_5m` by `_id` (= game_id:player_id|window_start ms). */
  readonly windows: ReadonlyMap<string, ResultDoc>;
  /** `match_stats` by `_id` (= game_id:match_id). */
  readonly matches: ReadonlyMap<string, ResultDoc>;
  /** `server_perf_5m` by `_id` (= game_id:server_id|window_start ms). */
  readonly servers: ReadonlyMap<string, ResultDoc>;
}

/** Exact counts the processor keeps per key (`key_state`), summed; and what the recomputation derives. */
export interface EventCounts {
  /** Distinct valid events applied. */
  readonly valid: number;
  readonly duplicates: number;
  readonly late: number;
}

const RELATIVE_TOLERANCE = 1e-9;

/** An expected value known only within bounds (sketch quantiles): `actual` must lie in [min, max]. */
export interface Within {
  readonly within: readonly [number, number];
}

const isWithin = (v: unknown): v is Within =>
  v !== null && typeof v === "object" && Array.isArray((v as { within?: unknown }).within);

function sameValue(a: unknown, b: unknown): boolean {
  if (isWithin(a)) return typeof b === "number" && b >= a.within[0] && b <= a.within[1];
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
    return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys)
      if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    return true;
  }
  return a === b;
}

/**
 * Differences between expected and actual results, one line each (empty = equal). Integers compare exactly,
 * other numbers within a relative 1e-9 (sums of floats may round differently in the last bit).
 */
export function compareResults(expected: Results, actual: Results, limit = 50): string[] {
  const diffs: string[] = [];
  for (const kind of ["players", "windows", "matches", "servers"] as const) {
    const want = expected[kind];
    const got = actual[kind];
    for (const [id, doc] of want) {
      const other = got.get(id);
      if (other === undefined) diffs.push(`${kind} ${id}: missing`);
      else if (!sameValue(doc, other))
        diffs.push(`${kind} ${id}: expected ${JSON.stringify(doc)} got ${JSON.stringify(other)}`);
    }
    for (const id of got.keys())
      if (!want.has(id)) diffs.push(`${kind} ${id}: unexpected ${JSON.stringify(got.get(id))}`);
  }
  return diffs.length > limit ? [...diffs.slice(0, limit), `... and ${diffs.length - limit} more`] : diffs;
}
