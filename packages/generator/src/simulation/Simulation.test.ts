import type { TelemetryEvent } from "@gametel/core";
import { decodeEvent } from "@gametel/core";
import { describe, expect, it } from "vitest";
import { Random } from "../internal/Random.js";
import { createSimulation } from "./Simulation.js";

const simulate = (count: number, seed = 9): TelemetryEvent[] => {
  const sim = createSimulation(
    { gameId: "arena", players: 40, matches: 3, servers: 2, startTime: Date.UTC(2026, 0, 1) },
    Random.fromSeed(seed),
  );
  return Array.from({ length: count }, () => sim.next());
};

interface PendingDeath {
  readonly victim: string;
  readonly killer: string;
  readonly time: number;
}

/** Checks the game's own rules over a stream of events; returns the first broken rules. */
const violations = (events: readonly TelemetryEvent[]): string[] => {
  const problems: string[] = [];
  const fail = (message: string, e: TelemetryEvent) => {
    if (problems.length < 10) problems.push(`${message}: ${JSON.stringify(e)}`);
  };
  const session = new Map<string, string | null>();
  const openMatches = new Set<string>();
  const life = new Map<string, { life: number; alive: boolean; team?: string }>();
  let previous = -Infinity;
  let pendingDeath = null as PendingDeath | null;
  for (const e of events) {
    if (e.event_time < previous) fail("time went backwards", e);
    previous = e.event_time;
    if (pendingDeath !== null) {
      const d: PendingDeath = pendingDeath;
      pendingDeath = null;
      if (
        e.event_type !== "player_death" ||
        e.player_id !== d.victim ||
        e.data.killer_id !== d.killer ||
        e.event_time !== d.time
      ) {
        fail("a kill is not followed by its victim's death", e);
      }
    }
    const lifeKey = `${e.player_id}|${e.match_id}`;
    if (
      e.player_id !== null &&
      e.event_type !== "session_start" &&
      session.get(e.player_id) !== e.session_id
    ) {
      fail("player event outside its session", e);
    }
    switch (e.event_type) {
      case "session_start":
        if ((session.get(e.player_id) ?? null) !== null) fail("session started twice", e);
        session.set(e.player_id, e.session_id);
        break;
      case "session_end":
        session.set(e.player_id, null);
        break;
      case "match_start":
        openMatches.add(e.match_id);
        break;
      case "match_end":
        if (!openMatches.delete(e.match_id)) fail("match ended without a start", e);
        break;
      case "perf_sample":
        if (Object.keys(e.data).length === 0) fail("empty perf sample", e);
        break;
      default: {
        if (!openMatches.has(e.match_id)) fail("player event outside an open match", e);
        const current = life.get(lifeKey);
        if (e.event_type === "player_spawn") {
          if (e.data.life !== (current?.life ?? 0) + 1) fail("lives do not count 1, 2, 3... per match", e);
          if (current?.alive === true) fail("spawned while alive", e);
          life.set(lifeKey, {
            life: e.data.life,
            alive: true,
            ...(e.data.team !== undefined ? { team: e.data.team } : {}),
          });
          break;
        }
        if (current === undefined || !current.alive) {
          fail("acted while dead", e);
          break;
        }
        if (
          (e.event_type === "player_move" || e.event_type === "player_death") &&
          e.data.life !== current.life
        ) {
          fail("wrong life", e);
        }
        if (e.event_type === "player_hit" || e.event_type === "player_kill") {
          const targetId = e.event_type === "player_hit" ? e.data.target_id : e.data.victim_id;
          const target = life.get(`${targetId}|${e.match_id}`);
          if (target === undefined || !target.alive || target.team === current.team)
            fail("hit someone not an alive enemy", e);
        }
        if (e.event_type === "player_kill")
          pendingDeath = { victim: e.data.victim_id, killer: e.player_id, time: e.event_time };
        if (e.event_type === "player_death") current.alive = false;
      }
    }
  }
  return problems;
};

describe("createSimulation", () => {
  const events = simulate(60_000);

  it("produces events that @gametel/core accepts", () => {
    const rejected = events.map((e) => decodeEvent(JSON.stringify(e))).filter((r) => !r.ok);
    expect(rejected).toEqual([]);
  });

  it("keeps the game's rules: time order, sessions, matches, lives, kills followed by deaths", () => {
    expect(violations(events)).toEqual([]);
  });

  it("plays every event type", () => {
    const types = new Set(events.map((e) => e.event_type));
    expect([...types].sort()).toEqual([
      "match_end",
      "match_start",
      "perf_sample",
      "player_death",
      "player_hit",
      "player_kill",
      "player_move",
      "player_spawn",
      "session_end",
      "session_start",
      "shot_fired",
    ]);
  });

  it("is deterministic for a seed", () => {
    expect(simulate(2000, 4)).toEqual(simulate(2000, 4));
    expect(simulate(2000, 4)).not.toEqual(simulate(2000, 5));
  });

  it("lets hidden skill show: K/D, kills per match and survival differ between players", () => {
    const stats = new Map<
      string,
      { kills: number; deaths: number; matches: Set<string>; lives: number[]; shots: number; hits: number }
    >();
    const spawnedAt = new Map<string, number>();
    for (const e of events) {
      if (e.player_id === null || e.match_id === null) continue;
      const s = stats.get(e.player_id) ?? {
        kills: 0,
        deaths: 0,
        matches: new Set<string>(),
        lives: [],
        shots: 0,
        hits: 0,
      };
      stats.set(e.player_id, s);
      if (e.event_type === "player_spawn") {
        s.matches.add(e.match_id);
        spawnedAt.set(`${e.player_id}|${e.match_id}|${e.data.life}`, e.event_time);
      } else if (e.event_type === "player_death") {
        s.deaths++;
        const at = spawnedAt.get(`${e.player_id}|${e.match_id}|${e.data.life}`);
        if (at !== undefined) s.lives.push(e.event_time - at);
      } else if (e.event_type === "player_kill") s.kills++;
      else if (e.event_type === "shot_fired") s.shots++;
      else if (e.event_type === "player_hit") s.hits++;
    }
    const players = [...stats.values()].filter((s) => s.deaths >= 5 && s.lives.length >= 5);
    expect(players.length).toBeGreaterThanOrEqual(20);
    const kd = players.map((s) => s.kills / s.deaths).sort((a, b) => a - b);
    const kpm = players.map((s) => s.kills / s.matches.size).sort((a, b) => a - b);
    const survival = players
      .map((s) => s.lives.reduce((a, b) => a + b, 0) / s.lives.length)
      .sort((a, b) => a - b);
    const q = (xs: number[], p: number) => xs[Math.floor(p * (xs.length - 1))] as number;
    expect(q(kd, 0.9) / q(kd, 0.1)).toBeGreaterThan(3);
    expect(q(kpm, 0.9) / q(kpm, 0.1)).toBeGreaterThan(2);
    expect(q(survival, 0.9) / q(survival, 0.1)).toBeGreaterThan(1.5);
    // Better shots win more fights: accuracy and K/D move together.
    const byAccuracy = [...players].sort((a, b) => a.hits / a.shots - b.hits / b.shots);
    const third = Math.floor(byAccuracy.length / 3);
    const meanKd = (xs: typeof players) => xs.reduce((sum, s) => sum + s.kills / s.deaths, 0) / xs.length;
    expect(meanKd(byAccuracy.slice(-third))).toBeGreaterThan(2 * meanKd(byAccuracy.slice(0, third)));
  });
});
