import { createGenerator } from "@gametel/generator";
import { decodeEvent, partitionKey, playerStatsReducer } from "@gametel/core";
import type { TelemetryEvent } from "@gametel/core";
import { describe, expect, it } from "vitest";
import { recomputeExpected } from "./recomputeExpected.js";

const MIN = 60_000;
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a multiple of 5 minutes

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, "0")}`;

function ev(
  type: string,
  t: number,
  fields: Record<string, unknown>,
  data: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    event_id: uuid(),
    event_type: type,
    event_version: 1,
    event_time: T0 + t,
    game_id: "g",
    server_id: "s1",
    match_id: null,
    player_id: null,
    session_id: null,
    ...fields,
    data,
  });
}

// Rank floor(q * (n - 1)): with two samples every quantile is the smaller one.
const within = (v: number) => ({ within: [v - v * 0.01 - 1e-9, v + v * 0.01 + 1e-9] });
const pm = (player: string) => ({ player_id: player, match_id: "m1" });
const pos = { x: 0, y: 0, z: 0 };

describe("recomputeExpected (hand-checked cases from the product definitions)", () => {
  it("player, window, match and server results, duplicates, invalid and late records", () => {
    const spawnA = ev("player_spawn", 1 * MIN, pm("a"), { life: 1, position: pos });
    const values = [
      ev("match_start", 0, { match_id: "m1" }, { map: "dust", mode: "tdm" }),
      spawnA,
      spawnA, // duplicate
      ev("player_kill", 2 * MIN, pm("a"), { victim_id: "b", weapon: "ak", headshot: true }),
      ev("player_kill", 3 * MIN, pm("b"), { victim_id: "a", weapon: "ak", headshot: false }),
      // a dies in the next window: its life (spawned at 1 min) still counts there (carried spawn)
      ev("player_death", 6 * MIN, pm("a"), { life: 1, killer_id: "b", cause: "shot" }),
      ev("player_hit", 12 * MIN, pm("a"), { target_id: "b", weapon: "ak", damage: 12.5, headshot: false }),
      // late for a: window [5,10) closed at 11 min <= stream time 12 min
      ev("shot_fired", 7 * MIN, pm("a"), { weapon: "ak" }),
      ev("match_end", 20 * MIN, { match_id: "m1" }, { winning_team: "red" }),
      ev("perf_sample", 1 * MIN, {}, { ping_ms: 30, fps: 60 }),
      ev("perf_sample", 2 * MIN, {}, { ping_ms: 10 }),
      "{not json",
    ];
    const r = recomputeExpected(values);
    expect(r.counts).toEqual({ records: 12, invalid: 1, valid: 10, duplicates: 1, late: 1 });
    expect(r.players.get("g:a")).toEqual({
      game_id: "g",
      player_id: "a",
      kills: 1,
      deaths: 1,
      headshot_kills: 1,
      headshot_ratio: 1,
      kd_ratio: 1,
      matches: 1,
      avg_kills_per_match: 1,
      lives_completed: 1,
      avg_survival_ms: 5 * MIN,
      shots: 1,
      hits: 1,
      damage_dealt: 12.5,
      first_seen: T0 + 1 * MIN,
      last_seen: T0 + 12 * MIN,
    });
    expect(r.players.get("g:b")).toMatchObject({
      kills: 1,
      deaths: 0,
      kd_ratio: 1,
      matches: 0,
      avg_kills_per_match: 0,
      avg_survival_ms: null,
    });
    // a's windows: [0,5) spawn+kill; [5,10) death (+ carried spawn; the late shot is not in it); [10,15) hit.
    expect([...r.windows.keys()].filter((k) => k.startsWith("g:a|")).sort()).toEqual(
      [T0, T0 + 5 * MIN, T0 + 10 * MIN].map((s) => `g:a|${s}`).sort(),
    );
    expect(r.windows.get(`g:a|${T0 + 5 * MIN}`)).toMatchObject({
      deaths: 1,
      shots: 0,
      matches: 0,
      lives_completed: 1,
      avg_survival_ms: 5 * MIN,
      first_seen: T0 + 6 * MIN,
      window_start: T0 + 5 * MIN,
      window_end: T0 + 10 * MIN,
    });
    expect(r.windows.get(`g:a|${T0}`)).toMatchObject({ kills: 1, matches: 1, lives_completed: 0 });
    expect(r.matches.get("g:m1")).toEqual({
      game_id: "g",
      match_id: "m1",
      start: T0,
      end: T0 + 20 * MIN,
      duration_ms: 20 * MIN,
      map: "dust",
      mode: "tdm",
      server_id: "s1",
      winning_team: "red",
      players: 2,
      kills: 2,
      top_killer: { player_id: "a", kills: 1 }, // tie 1-1: smallest player_id
    });
    expect(r.servers.get(`g:s1|${T0}`)).toEqual({
      game_id: "g",
      server_id: "s1",
      window_start: T0,
      window_end: T0 + 5 * MIN,
      count: 2,
      ping_ms: {
        count: 2,
        min: 10,
        max: 30,
        p1: within(10),
        p5: within(10),
        p50: within(10),
        p95: within(10),
        p99: within(10),
      },
      fps: {
        count: 1,
        min: 60,
        max: 60,
        p1: within(60),
        p5: within(60),
        p50: within(60),
        p95: within(60),
        p99: within(60),
      },
      frame_time_ms: null,
    });
  });

  it("agrees with core's PlayerStats reducer on generated data (two independent implementations)", () => {
    const records = [
      ...createGenerator({
        seed: 11,
        players: 12,
        matches: 2,
        duplicates: 0.05,
        outOfOrder: 0.1,
        maxRecords: 4_000,
      }),
    ];
    const expected = recomputeExpected(records.map((r) => r.json));
    const byKey = new Map<string, TelemetryEvent[]>();
    const seen = new Set<string>();
    for (const r of records) {
      const d = decodeEvent(r.json);
      if (!d.ok || seen.has(d.event.event_id)) continue;
      seen.add(d.event.event_id);
      if (
        d.event.player_id === null ||
        ["match_start", "match_end", "perf_sample"].includes(d.event.event_type)
      )
        continue;
      byKey.set(partitionKey(d.event), [...(byKey.get(partitionKey(d.event)) ?? []), d.event]);
    }
    expect(byKey.size).toBe(expected.players.size);
    for (const [key, events] of byKey) {
      let state = playerStatsReducer.init();
      for (const e of events) state = playerStatsReducer.reduce(state, e);
      const { game_id: _g, player_id: _p, ...fields } = expected.players.get(key)!;
      const core = playerStatsReducer.result(state);
      expect(fields).toEqual({ ...core, damage_dealt: expect.closeTo(core.damage_dealt, 6) as unknown });
    }
  });
});
