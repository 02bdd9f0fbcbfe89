/** Test-only builders and fast-check arbitraries of wire-format-v1 events (not exported by the package). */
import fc from "fast-check";
import type {
  MatchEndEvent,
  MatchStartEvent,
  PerfSampleEvent,
  PlayerDeathEvent,
  PlayerHitEvent,
  PlayerKillEvent,
  PlayerMoveEvent,
  PlayerSpawnEvent,
  SessionStartEvent,
  ShotFiredEvent,
  TelemetryEvent,
} from "../Event.js";

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** A deterministic UUID-shaped id from a sequence number. */
export const uuid = (n: number): string =>
  `${hex(n >>> 0, 8)}-0000-4000-8000-${hex(n * 7919, 12).slice(-12)}`;

const base = { event_version: 1 as const, game_id: "g1", server_id: "s1", session_id: null };

export const spawn = (
  id: number,
  time: number,
  match: string,
  life: number,
  player = "p1",
): PlayerSpawnEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "player_spawn",
  event_time: time,
  match_id: match,
  player_id: player,
  data: { life, position: { x: 0, y: 0, z: 0 } },
});

export const death = (
  id: number,
  time: number,
  match: string,
  life: number,
  player = "p1",
): PlayerDeathEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "player_death",
  event_time: time,
  match_id: match,
  player_id: player,
  data: { life, killer_id: null, cause: "fall" },
});

export const kill = (
  id: number,
  time: number,
  match: string,
  headshot: boolean,
  player = "p1",
): PlayerKillEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "player_kill",
  event_time: time,
  match_id: match,
  player_id: player,
  data: { victim_id: "p9", weapon: "rifle", headshot },
});

export const hit = (
  id: number,
  time: number,
  match: string,
  damage: number,
  player = "p1",
): PlayerHitEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "player_hit",
  event_time: time,
  match_id: match,
  player_id: player,
  data: { target_id: "p9", weapon: "rifle", damage, headshot: false },
});

export const shot = (id: number, time: number, match: string, player = "p1"): ShotFiredEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "shot_fired",
  event_time: time,
  match_id: match,
  player_id: player,
  data: { weapon: "rifle" },
});

export const move = (
  id: number,
  time: number,
  match: string,
  life: number,
  player = "p1",
): PlayerMoveEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "player_move",
  event_time: time,
  match_id: match,
  player_id: player,
  data: { life, position: { x: 1, y: 2, z: 3 } },
});

export const sessionStart = (id: number, time: number, player = "p1"): SessionStartEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "session_start",
  event_time: time,
  match_id: null,
  player_id: player,
  data: { platform: "pc", region: "eu", client_version: "1.0.0" },
});

export const matchStart = (id: number, time: number, match: string, map = "dust"): MatchStartEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "match_start",
  event_time: time,
  match_id: match,
  player_id: null,
  data: { map, mode: "tdm" },
});

export const matchEnd = (
  id: number,
  time: number,
  match: string,
  winning_team: string | null,
): MatchEndEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "match_end",
  event_time: time,
  match_id: match,
  player_id: null,
  data: { winning_team },
});

export const perf = (id: number, time: number, data: PerfSampleEvent["data"]): PerfSampleEvent => ({
  ...base,
  event_id: uuid(id),
  event_type: "perf_sample",
  event_time: time,
  match_id: null,
  player_id: null,
  data,
});

/** Damage values: doubles in [1e-6, 1e4] or 0, so exact references can use BigInt scaled by 2^80. */
export const damageArb = fc.oneof(
  fc.constant(0),
  fc.double({ min: 1e-6, max: 1e4, noNaN: true }),
  fc.integer({ min: 0, max: 150 }),
);

/**
 * Events of one player with distinct ids: spawns/deaths over a few matches and lives (with duplicate spawns
 * of a life and deaths without spawns), kills, hits, shots and moves, at times in a small range (ties likely).
 */
export const playerEventsArb = (player = "p1"): fc.Arbitrary<TelemetryEvent[]> =>
  fc
    .array(
      fc.record({
        kind: fc.constantFrom("spawn", "death", "kill", "hit", "shot", "move", "session"),
        time: fc.integer({ min: 1_000_000, max: 1_000_000 + 3_600_000 }),
        match: fc.constantFrom("m1", "m.2:x", "m3"),
        life: fc.integer({ min: 1, max: 4 }),
        headshot: fc.boolean(),
        damage: damageArb,
      }),
      { maxLength: 60 },
    )
    .map((specs) =>
      specs.map((s, i): TelemetryEvent => {
        switch (s.kind) {
          case "spawn":
            return spawn(i, s.time, s.match, s.life, player);
          case "death":
            return death(i, s.time, s.match, s.life, player);
          case "kill":
            return kill(i, s.time, s.match, s.headshot, player);
          case "hit":
            return hit(i, s.time, s.match, s.damage, player);
          case "shot":
            return shot(i, s.time, s.match, player);
          case "move":
            return move(i, s.time, s.match, s.life, player);
          default:
            return sessionStart(i, s.time, player);
        }
      }),
    );

/** Exact sum of doubles with ulp >= 2^-80 (see damageArb), correctly rounded. */
export const exactReferenceSum = (values: ReadonlyArray<number>): number => {
  let total = 0n;
  for (const v of values) total += BigInt(v * 2 ** 80);
  return Number(total) * 2 ** -80;
};

/** Fisher–Yates with fast-check-provided random keys. */
export const permute = <A>(items: ReadonlyArray<A>, keys: ReadonlyArray<number>): A[] =>
  items
    .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)]! + i / (items.length + 1) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
