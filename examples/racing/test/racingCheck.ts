import { deduplicator, tumblingWindow, windowFor, type DedupState } from "@gametel/core";
import type { ResultsCheck } from "@gametel/runtime/testing";
import type { Db } from "mongodb";
import { RacingEvents } from "../src/Events.js";
import { lapStatsReducer, type LapStatsState } from "../src/LapStats.js";
import { RACING_COLLECTIONS } from "../src/RacingModel.js";

/** Public fields of every document of a collection (no `_` fields, no `updated_at`), canonical JSON by `_id`. */
async function stored(db: Db, collection: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const doc of db.collection(collection).find({})) {
    const fields = Object.fromEntries(
      Object.entries(doc)
        .filter(([k]) => !k.startsWith("_") && k !== "updated_at")
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    out.set(String(doc._id), JSON.stringify(fields));
  }
  return out;
}

const canonical = (fields: Record<string, unknown>) =>
  JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))));

function diff(name: string, expected: Map<string, string>, actual: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [id, e] of expected) {
    const a = actual.get(id);
    if (a === undefined) diffs.push(`${name} ${id}: missing`);
    else if (a !== e) diffs.push(`${name} ${id}: ${a} != expected ${e}`);
  }
  for (const id of actual.keys()) if (!expected.has(id)) diffs.push(`${name} ${id}: unexpected`);
  return diffs;
}

/**
 * The racing results recomputed in one pass over the produced records, in their order (the order of each key's
 * partition): decode (invalid ones are dead letters), dedup by event id per key, lateness per key's stream time,
 * then LapStats per player and per race folded directly with the reducer.
 */
export const racingCheck: ResultsCheck = async (db, records) => {
  const spec = tumblingWindow();
  const dedup = deduplicator();
  const keys = new Map<string, { dedup: DedupState; streamTime: number | null }>();
  const players = new Map<string, { state: LapStatsState; identity: Record<string, unknown> }>();
  const races = new Map<string, { state: LapStatsState; identity: Record<string, unknown> }>();
  const counts = { records: records.length, invalid: 0, valid: 0, duplicates: 0, late: 0 };
  const fold = (
    into: Map<string, { state: LapStatsState; identity: Record<string, unknown> }>,
    id: string,
    identity: Record<string, unknown>,
    event: Parameters<typeof lapStatsReducer.reduce>[1],
  ) => {
    const current = into.get(id) ?? { state: lapStatsReducer.init(), identity };
    into.set(id, { state: lapStatsReducer.reduce(current.state, event), identity });
  };
  for (const record of records) {
    const decoded = RacingEvents.decode(record.value ?? "");
    if (!decoded.ok) {
      counts.invalid += 1;
      continue;
    }
    const event = decoded.event;
    const key = RacingEvents.partitionKey(event);
    const state = keys.get(key) ?? { dedup: dedup.init(), streamTime: null };
    keys.set(key, state);
    if (!dedup.admit(state.dedup, event.event_id, event.event_time)) {
      counts.duplicates += 1;
      continue;
    }
    counts.valid += 1;
    const window = windowFor(event.event_time, spec);
    if (state.streamTime !== null && window.end + spec.graceMs <= state.streamTime) counts.late += 1;
    if (state.streamTime === null || event.event_time > state.streamTime) state.streamTime = event.event_time;
    if (event.player_id !== null)
      fold(players, key, { game_id: event.game_id, player_id: event.player_id }, event);
    if (event.match_id !== null)
      fold(
        races,
        `${event.game_id}:${event.match_id}`,
        { game_id: event.game_id, race_id: event.match_id },
        event,
      );
  }
  const expected = (m: Map<string, { state: LapStatsState; identity: Record<string, unknown> }>) =>
    new Map([...m].map(([id, v]) => [id, canonical({ ...v.identity, ...lapStatsReducer.result(v.state) })]));
  const diffs = [
    ...diff("lap_stats", expected(players), await stored(db, RACING_COLLECTIONS.lapStats)),
    ...diff("race_stats", expected(races), await stored(db, RACING_COLLECTIONS.raceStats)),
  ];
  return {
    diffs: diffs.slice(0, 50),
    expected: counts,
    compared: { players: players.size, windows: 0, matches: races.size, servers: 0 },
  };
};
