import { decodeEvent, partitionKey } from "@gametel/core";
import { partitionForKey } from "../engine/murmur2.js";
import type { TelemetryEvent } from "@gametel/core";
import type { ResultDoc, Results, Within } from "./Results.js";

/** The documented relative accuracy of core's ServerPerf quantiles. */
const SKETCH_RELATIVE_ACCURACY = 0.01;

/**
 * An INDEPENDENT batch recomputation of what the processor must write, from the product definitions (issue 3 and
 * the core README), without the core reducers: plain loops over the distinct valid events. Only decoding and the
 * partition key come from core (validity and keys are core's contract). Arrival order matters only for lateness:
 * pass the records in production order (each key's order is what its partition preserves).
 */
export interface RecomputeOptions {
  readonly windowSizeMs?: number;
  readonly graceMs?: number;
  /** How far after a spawn its window can still complete a life (core's lifeHorizonMs); default the window size. */
  readonly lifeHorizonMs?: number;
  readonly maxEventBytes?: number;
  /**
   * The processors' input contract (issue 13). Valid events it refuses are dead-lettered, so they count as invalid
   * here: an event whose partition is not murmur2(partition key) mod `partitions`, or whose event_time is before
   * `floorMs` or more than `maxFutureMs` after `now`.
   */
  readonly inputContract?: {
    readonly partitions: number;
    /** The partition record `index` (in `values`) was produced to. */
    readonly partitionOf: (index: number) => number;
    readonly floorMs: number;
    readonly maxFutureMs: number;
    readonly now: number;
  };
}

export interface ExpectedResults extends Results {
  readonly counts: {
    readonly records: number;
    readonly invalid: number;
    readonly valid: number;
    readonly duplicates: number;
    readonly late: number;
  };
}

interface Life {
  spawn: number | undefined;
  deathTimes: number[];
}

const MATCH_SCOPED = new Set(["match_start", "match_end"]);

function playerFields(events: readonly TelemetryEvent[], carried: readonly TelemetryEvent[] = []): ResultDoc {
  let kills = 0;
  let headshotKills = 0;
  let deaths = 0;
  let shots = 0;
  let hits = 0;
  let damage = 0;
  let first: number | null = null;
  let last: number | null = null;
  const matches = new Set<string>();
  const lives = new Map<string, Life>();
  const life = (matchId: string, n: number) => {
    const id = `${matchId}\u0000${n}`;
    let l = lives.get(id);
    if (l === undefined) lives.set(id, (l = { spawn: undefined, deathTimes: [] }));
    return l;
  };
  for (const e of carried) {
    if (e.event_type !== "player_spawn") continue;
    const l = life(e.match_id, e.data.life);
    l.spawn = l.spawn === undefined ? e.event_time : Math.min(l.spawn, e.event_time);
  }
  for (const e of events) {
    first = first === null ? e.event_time : Math.min(first, e.event_time);
    last = last === null ? e.event_time : Math.max(last, e.event_time);
    if (e.event_type === "player_kill") {
      kills += 1;
      if (e.data.headshot) headshotKills += 1;
    } else if (e.event_type === "player_death") {
      deaths += 1;
      life(e.match_id, e.data.life).deathTimes.push(e.event_time);
    } else if (e.event_type === "player_spawn") {
      matches.add(e.match_id);
      const l = life(e.match_id, e.data.life);
      l.spawn = l.spawn === undefined ? e.event_time : Math.min(l.spawn, e.event_time);
    } else if (e.event_type === "shot_fired") {
      shots += 1;
    } else if (e.event_type === "player_hit") {
      hits += 1;
      damage += e.data.damage;
    }
  }
  let completed = 0;
  let survival = 0;
  for (const l of lives.values()) {
    if (l.spawn === undefined) continue;
    for (const t of l.deathTimes) {
      completed += 1;
      survival += t - l.spawn;
    }
  }
  return {
    kills,
    deaths,
    headshot_kills: headshotKills,
    headshot_ratio: kills === 0 ? 0 : headshotKills / kills,
    kd_ratio: deaths === 0 ? kills : kills / deaths,
    matches: matches.size,
    avg_kills_per_match: matches.size === 0 ? 0 : kills / matches.size,
    lives_completed: completed,
    avg_survival_ms: completed === 0 ? null : survival / completed,
    shots,
    hits,
    damage_dealt: damage,
    first_seen: first,
    last_seen: last,
  };
}

function matchFields(events: readonly TelemetryEvent[]): ResultDoc {
  const earliest = (type: string) =>
    events
      .filter((e) => e.event_type === type)
      .sort(
        (a, b) =>
          a.event_time - b.event_time || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0),
      )[0];
  const start = earliest("match_start");
  const end = earliest("match_end");
  const players = new Set(
    events.filter((e) => !MATCH_SCOPED.has(e.event_type) && e.player_id !== null).map((e) => e.player_id),
  );
  const killsBy = new Map<string, number>();
  for (const e of events)
    if (e.event_type === "player_kill") killsBy.set(e.player_id, (killsBy.get(e.player_id) ?? 0) + 1);
  let top: { player_id: string; kills: number } | null = null;
  for (const [player, kills] of killsBy) {
    if (top === null || kills > top.kills || (kills === top.kills && player < top.player_id))
      top = { player_id: player, kills };
  }
  return {
    start: start?.event_time ?? null,
    end: end?.event_time ?? null,
    duration_ms: start !== undefined && end !== undefined ? end.event_time - start.event_time : null,
    map: start?.event_type === "match_start" ? start.data.map : null,
    mode: start?.event_type === "match_start" ? start.data.mode : null,
    server_id: start?.server_id ?? null,
    winning_team: end?.event_type === "match_end" ? end.data.winning_team : null,
    players: players.size,
    kills: [...killsBy.values()].reduce((a, b) => a + b, 0),
    top_killer: top,
  };
}

function serverFields(events: readonly TelemetryEvent[]): ResultDoc {
  const metric = (pick: (e: TelemetryEvent) => number | undefined) => {
    const values = events
      .map(pick)
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
    if (values.length === 0) return null;
    // Exact quantile at rank floor(q * (n - 1)); the sketch's estimate is within 1% of it.
    const around = (q: number): Within => {
      const exact = values[Math.floor(q * (values.length - 1))]!;
      const slack = Math.abs(exact) * SKETCH_RELATIVE_ACCURACY + 1e-9;
      return { within: [exact - slack, exact + slack] };
    };
    return {
      count: values.length,
      min: values[0],
      max: values.at(-1),
      p1: around(0.01),
      p5: around(0.05),
      p50: around(0.5),
      p95: around(0.95),
      p99: around(0.99),
    };
  };
  const data = (e: TelemetryEvent) => (e.event_type === "perf_sample" ? e.data : undefined);
  return {
    count: events.length,
    ping_ms: metric((e) => data(e)?.ping_ms),
    fps: metric((e) => data(e)?.fps),
    frame_time_ms: metric((e) => data(e)?.frame_time_ms),
  };
}

const normalisedId = (id: string) => id.replaceAll("-", "").toLowerCase();

export function recomputeExpected(
  values: Iterable<string | Uint8Array>,
  options: RecomputeOptions = {},
): ExpectedResults {
  const size = options.windowSizeMs ?? 300_000;
  const grace = options.graceMs ?? 60_000;
  const horizon = options.lifeHorizonMs ?? size;
  const windowStart = (t: number) => Math.floor(t / size) * size;
  const closed = (start: number, streamTime: number | undefined) =>
    streamTime !== undefined && start + size + grace <= streamTime;
  const seen = new Set<string>();
  const streamTime = new Map<string, number>();
  const players = new Map<string, TelemetryEvent[]>();
  const windows = new Map<
    string,
    { own: TelemetryEvent[]; carried: TelemetryEvent[]; start: number; event: TelemetryEvent }
  >();
  const matches = new Map<string, TelemetryEvent[]>();
  const servers = new Map<string, { events: TelemetryEvent[]; start: number; event: TelemetryEvent }>();
  let records = 0;
  let invalid = 0;
  let duplicates = 0;
  let late = 0;
  for (const value of values) {
    records += 1;
    const decoded = decodeEvent(
      value,
      options.maxEventBytes === undefined ? {} : { maxBytes: options.maxEventBytes },
    );
    if (!decoded.ok) {
      invalid += 1;
      continue;
    }
    const e = decoded.event;
    const contract = options.inputContract;
    if (
      contract !== undefined &&
      (e.event_time < contract.floorMs ||
        e.event_time > contract.now + contract.maxFutureMs ||
        contract.partitionOf(records - 1) !== partitionForKey(partitionKey(e), contract.partitions))
    ) {
      invalid += 1;
      continue;
    }
    if (seen.has(normalisedId(e.event_id))) {
      duplicates += 1;
      continue;
    }
    seen.add(normalisedId(e.event_id));
    const key = partitionKey(e);
    const before = streamTime.get(key);
    streamTime.set(key, Math.max(before ?? e.event_time, e.event_time));
    const own = windowStart(e.event_time);
    const isLate = closed(own, before);
    if (isLate) late += 1;
    if (e.event_type !== "perf_sample" && !MATCH_SCOPED.has(e.event_type) && e.player_id !== null) {
      const list = players.get(key) ?? [];
      list.push(e);
      players.set(key, list);
      const last = e.event_type === "player_spawn" ? windowStart(e.event_time + horizon) : own;
      for (let start = own; start <= last; start += size) {
        if (closed(start, before)) continue;
        const id = `${key}|${start}`;
        const w = windows.get(id) ?? { own: [], carried: [], start, event: e };
        windows.set(id, w);
        (start === own ? w.own : w.carried).push(e);
      }
    }
    if (e.match_id !== null && e.event_type !== "perf_sample") {
      const id = `${e.game_id}:${e.match_id}`;
      const list = matches.get(id) ?? [];
      list.push(e);
      matches.set(id, list);
    }
    if (e.event_type === "perf_sample" && !isLate) {
      const id = `${key}|${own}`;
      const s = servers.get(id) ?? { events: [], start: own, event: e };
      s.events.push(e);
      servers.set(id, s);
    }
  }
  const playerDocs = new Map<string, ResultDoc>();
  for (const [id, events] of players) {
    const first = events[0]!;
    playerDocs.set(id, { game_id: first.game_id, player_id: first.player_id, ...playerFields(events) });
  }
  const windowDocs = new Map<string, ResultDoc>();
  for (const [id, w] of windows) {
    if (w.own.length === 0) continue; // context-only windows (carried spawns) are not results
    windowDocs.set(id, {
      game_id: w.event.game_id,
      player_id: w.event.player_id,
      window_start: w.start,
      window_end: w.start + size,
      ...playerFields(w.own, w.carried),
    });
  }
  const matchDocs = new Map<string, ResultDoc>();
  for (const [id, events] of matches) {
    const first = events[0]!;
    matchDocs.set(id, { game_id: first.game_id, match_id: first.match_id, ...matchFields(events) });
  }
  const serverDocs = new Map<string, ResultDoc>();
  for (const [id, s] of servers) {
    serverDocs.set(id, {
      game_id: s.event.game_id,
      server_id: s.event.server_id,
      window_start: s.start,
      window_end: s.start + size,
      ...serverFields(s.events),
    });
  }
  return {
    players: playerDocs,
    windows: windowDocs,
    matches: matchDocs,
    servers: serverDocs,
    counts: { records, invalid, valid: seen.size, duplicates, late },
  };
}
