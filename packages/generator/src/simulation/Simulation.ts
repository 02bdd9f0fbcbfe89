import type { Random } from "../internal/Random.js";
import type { EventDataByType, EventType, Position, TelemetryEvent } from "../internal/wire.js";
import { ActionQueue } from "./ActionQueue.js";
import type { Team, Weapon } from "./Catalog.js";
import {
  ARENA,
  CLIENT_VERSIONS,
  ENVIRONMENT_CAUSES,
  MAPS,
  MODES,
  PLATFORMS,
  REGIONS,
  TEAMS,
  WEAPONS,
} from "./Catalog.js";
import type { SkillProfile } from "./Skill.js";
import { drawSkill, skillProfile } from "./Skill.js";

export interface SimulationConfig {
  readonly gameId: string;
  /** Size of the player population. */
  readonly players: number;
  /** Matches running at the same time. */
  readonly matches: number;
  readonly servers: number;
  /** Game time of the first action, epoch ms. */
  readonly startTime: number;
}

/** An endless, deterministic stream of valid events in non-decreasing `event_time` order. */
export interface Simulation {
  next(): TelemetryEvent;
}

interface Player {
  readonly id: string;
  readonly profile: SkillProfile;
  readonly platform: string;
  readonly region: (typeof REGIONS)[number];
  readonly clientVersion: string;
  status: "offline" | "lobby" | "playing";
  availableAt: number;
  sessionId: string | null;
  matchesLeft: number;
  match: Match | null;
  team: Team;
  /** Bumped on joining and leaving a match: stale spawns and client samples are dropped. */
  matchToken: number;
  /** Bumped on every spawn and death: stale moves, seeks and fights are dropped. */
  lifeToken: number;
  life: number;
  alive: boolean;
  health: number;
  weapon: Weapon;
  position: Position;
  duel: Duel | null;
}

interface Match {
  readonly id: string;
  readonly slot: number;
  readonly serverId: string;
  readonly players: Player[];
  readonly kills: Record<Team, number>;
  active: boolean;
}

interface Duel {
  readonly a: Player;
  readonly b: Player;
  readonly aToken: number;
  readonly bToken: number;
  shotsLeft: number;
  shooter: Player;
}

type Action =
  | { readonly kind: "slot_start"; readonly slot: number }
  | { readonly kind: "match_end"; readonly match: Match }
  | { readonly kind: "spawn"; readonly player: Player; readonly token: number }
  | { readonly kind: "move"; readonly player: Player; readonly token: number }
  | { readonly kind: "seek"; readonly player: Player; readonly token: number }
  | { readonly kind: "shot"; readonly duel: Duel }
  | { readonly kind: "server_perf"; readonly serverId: string }
  | { readonly kind: "client_perf"; readonly player: Player; readonly token: number };

const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** Players per team: leaves about a quarter of the population out of matches so slots can refill. */
export const teamSize = (players: number, matches: number): number =>
  clamp(Math.floor((0.75 * players) / (2 * matches)), 1, 6);

/**
 * A discrete-event simulation of game servers running concurrent matches. Every action happens at one
 * millisecond of game time and emits events stamped with it, and actions run in time order, so events
 * come out in non-decreasing `event_time`; all randomness comes from `random`.
 */
export const createSimulation = (config: SimulationConfig, random: Random): Simulation => {
  const queue = new ActionQueue<Action>();
  const out: TelemetryEvent[] = [];
  let outIndex = 0;
  const size = teamSize(config.players, config.matches);
  const idWidth = Math.max(4, String(config.players).length);
  const serverIds = Array.from(
    { length: config.servers },
    (_, i) => `srv-${pad(i + 1, Math.max(2, String(config.servers).length))}`,
  );
  const weaponWeights = WEAPONS.reduce((sum, w) => sum + w.weight, 0);

  const pickWeapon = (): Weapon => {
    let r = random.float() * weaponWeights;
    for (const weapon of WEAPONS) {
      r -= weapon.weight;
      if (r < 0) return weapon;
    }
    return WEAPONS[0] as Weapon;
  };
  const randomPosition = (): Position => ({
    x: round(random.float() * ARENA.width, 2),
    y: round(random.float() * ARENA.depth, 2),
    z: round(random.float() * ARENA.height * 0.25, 2),
  });

  const players: Player[] = Array.from({ length: config.players }, (_, i) => ({
    id: `player-${pad(i + 1, idWidth)}`,
    profile: skillProfile(drawSkill(random)),
    platform: random.pick(PLATFORMS),
    region: random.pick(REGIONS),
    clientVersion: random.pick(CLIENT_VERSIONS),
    status: "offline",
    availableAt: config.startTime,
    sessionId: null,
    matchesLeft: 0,
    match: null,
    team: "red",
    matchToken: 0,
    lifeToken: 0,
    life: 0,
    alive: false,
    health: 100,
    weapon: WEAPONS[0] as Weapon,
    position: { x: 0, y: 0, z: 0 },
    duel: null,
  }));

  const emit = <T extends EventType>(
    type: T,
    time: number,
    serverId: string,
    matchId: string | null,
    player: Player | null,
    data: EventDataByType[T],
  ): void => {
    out.push({
      event_id: random.uuid(),
      event_type: type,
      event_version: 1,
      event_time: time,
      game_id: config.gameId,
      server_id: serverId,
      match_id: matchId,
      player_id: player?.id ?? null,
      session_id: player?.sessionId ?? null,
      data,
    } as TelemetryEvent);
  };

  const serverOf = (player: Player): string => (player.match as Match).serverId;
  const matchIdOf = (player: Player): string => (player.match as Match).id;

  const scheduleSeek = (time: number, player: Player): void => {
    queue.push(time + Math.max(300, Math.round(random.exponential(player.profile.seekMeanMs))), {
      kind: "seek",
      player,
      token: player.lifeToken,
    });
  };

  const startMatch = (time: number, slot: number): void => {
    const need = 2 * size;
    const lobby = players.filter((p) => p.status === "lobby");
    const offline = players.filter((p) => p.status === "offline" && p.availableAt <= time);
    if (lobby.length + offline.length < need) {
      queue.push(time + 5000, { kind: "slot_start", slot });
      return;
    }
    const chosen: Player[] = [];
    for (const pool of [lobby, offline]) {
      while (chosen.length < need && pool.length > 0) {
        const i = random.int(0, pool.length - 1);
        chosen.push(pool[i] as Player);
        pool.splice(i, 1);
      }
    }
    const serverId = serverIds[slot % serverIds.length] as string;
    for (const player of chosen) {
      if (player.status !== "offline") continue;
      player.sessionId = random.uuid();
      player.matchesLeft = random.int(1, 5);
      player.status = "lobby";
      emit("session_start", time, serverId, null, player, {
        platform: player.platform,
        region: player.region.name,
        client_version: player.clientVersion,
      });
    }
    const match: Match = {
      id: random.uuid(),
      slot,
      serverId,
      players: chosen,
      kills: { red: 0, blue: 0 },
      active: true,
    };
    emit("match_start", time, serverId, match.id, null, { map: random.pick(MAPS), mode: random.pick(MODES) });
    chosen.forEach((player, i) => {
      player.status = "playing";
      player.match = match;
      player.team = TEAMS[i % 2] as Team;
      player.life = 0;
      player.matchToken++;
      queue.push(time + random.int(500, 3000), { kind: "spawn", player, token: player.matchToken });
      queue.push(time + random.int(1000, 5000), { kind: "client_perf", player, token: player.matchToken });
    });
    queue.push(time + random.int(240_000, 480_000), { kind: "match_end", match });
  };

  const endMatch = (time: number, match: Match): void => {
    match.active = false;
    const { red, blue } = match.kills;
    emit("match_end", time, match.serverId, match.id, null, {
      winning_team: red === blue ? null : red > blue ? "red" : "blue",
    });
    for (const player of match.players) {
      player.matchToken++;
      player.lifeToken++;
      player.alive = false;
      player.duel = null;
      player.match = null;
      player.status = "lobby";
      player.matchesLeft--;
      if (player.matchesLeft <= 0) {
        emit("session_end", time, match.serverId, null, player, {
          reason: random.pick(["quit", "quit", "quit", "disconnect", "timeout"]),
        });
        player.status = "offline";
        player.sessionId = null;
        player.availableAt = time + random.int(30_000, 180_000);
      }
    }
    queue.push(time + random.int(10_000, 25_000), { kind: "slot_start", slot: match.slot });
  };

  const spawn = (time: number, player: Player): void => {
    player.life++;
    player.lifeToken++;
    player.alive = true;
    player.health = 100;
    player.weapon = pickWeapon();
    player.position = randomPosition();
    emit("player_spawn", time, serverOf(player), matchIdOf(player), player, {
      life: player.life,
      team: player.team,
      position: player.position,
    });
    queue.push(time + random.int(800, 2500), { kind: "move", player, token: player.lifeToken });
    scheduleSeek(time, player);
  };

  const move = (time: number, player: Player): void => {
    const p = player.position;
    player.position = {
      x: round(clamp(p.x + random.normal(0, 6), 0, ARENA.width), 2),
      y: round(clamp(p.y + random.normal(0, 6), 0, ARENA.depth), 2),
      z: round(clamp(p.z + random.normal(0, 0.8), 0, ARENA.height), 2),
    };
    emit("player_move", time, serverOf(player), matchIdOf(player), player, {
      life: player.life,
      position: player.position,
    });
    queue.push(time + random.int(800, 2500), { kind: "move", player, token: player.lifeToken });
  };

  const die = (time: number, victim: Player, killer: Player | null, cause: string): void => {
    emit("player_death", time, serverOf(victim), matchIdOf(victim), victim, {
      life: victim.life,
      killer_id: killer?.id ?? null,
      cause,
    });
    victim.alive = false;
    victim.lifeToken++;
    victim.duel = null;
    queue.push(time + random.int(4000, 8000), { kind: "spawn", player: victim, token: victim.matchToken });
  };

  const seek = (time: number, player: Player): void => {
    if (player.duel !== null) return;
    player.health = Math.min(100, player.health + 40);
    if (random.chance(player.profile.environmentDeathRate)) {
      die(time, player, null, random.pick(ENVIRONMENT_CAUSES));
      return;
    }
    const enemies = (player.match as Match).players.filter(
      (p) => p.team !== player.team && p.alive && p.duel === null,
    );
    if (enemies.length === 0) {
      queue.push(time + random.int(1000, 3000), { kind: "seek", player, token: player.lifeToken });
      return;
    }
    const target = random.pick(enemies);
    const duel: Duel = {
      a: player,
      b: target,
      aToken: player.lifeToken,
      bToken: target.lifeToken,
      shotsLeft: random.int(6, 16),
      shooter: player,
    };
    player.duel = duel;
    target.duel = duel;
    const reactionMs = Math.round(random.int(120, 450) * player.profile.tempo);
    queue.push(time + reactionMs, { kind: "shot", duel });
  };

  const shot = (time: number, duel: Duel): void => {
    const { a, b } = duel;
    if (a.lifeToken !== duel.aToken || b.lifeToken !== duel.bToken || !a.alive || !b.alive) {
      if (a.duel === duel) a.duel = null;
      if (b.duel === duel) b.duel = null;
      return;
    }
    const shooter = duel.shooter;
    const target = shooter === a ? b : a;
    const weapon = shooter.weapon;
    emit("shot_fired", time, serverOf(shooter), matchIdOf(shooter), shooter, { weapon: weapon.name });
    if (random.chance(shooter.profile.accuracy)) {
      const headshot = random.chance(shooter.profile.headshotRate);
      const body = random.int(weapon.damageMin, weapon.damageMax);
      const damage = Math.round(headshot ? body * weapon.headshotMultiplier : body);
      emit("player_hit", time, serverOf(shooter), matchIdOf(shooter), shooter, {
        target_id: target.id,
        weapon: weapon.name,
        damage,
        headshot,
      });
      target.health -= damage;
      if (target.health <= 0) {
        const s = shooter.position;
        const t = target.position;
        emit("player_kill", time, serverOf(shooter), matchIdOf(shooter), shooter, {
          victim_id: target.id,
          weapon: weapon.name,
          headshot,
          distance_m: round(Math.hypot(s.x - t.x, s.y - t.y, s.z - t.z), 1),
        });
        (shooter.match as Match).kills[shooter.team]++;
        die(time, target, shooter, weapon.name);
        shooter.duel = null;
        scheduleSeek(time, shooter);
        return;
      }
    }
    duel.shotsLeft--;
    if (duel.shotsLeft <= 0) {
      a.duel = null;
      b.duel = null;
      scheduleSeek(time, a);
      scheduleSeek(time, b);
      return;
    }
    const rateA = 1 / (a.weapon.shotIntervalMs * a.profile.tempo);
    const rateB = 1 / (b.weapon.shotIntervalMs * b.profile.tempo);
    duel.shooter = random.float() < rateA / (rateA + rateB) ? a : b;
    queue.push(time + Math.max(40, Math.round(random.exponential(1 / (rateA + rateB)))), {
      kind: "shot",
      duel,
    });
  };

  const serverPerf = (time: number, serverId: string): void => {
    const load = players.filter((p) => p.match?.serverId === serverId && p.match.active).length;
    const fps = round(Math.max(20, random.normal(140 - 3 * load, 6)), 1);
    emit("perf_sample", time, serverId, null, null, {
      fps,
      frame_time_ms: round(Math.max(0.1, (1000 / fps) * (1 + random.normal(0, 0.03))), 2),
    });
    queue.push(time + 5000, { kind: "server_perf", serverId });
  };

  const clientPerf = (time: number, player: Player): void => {
    emit("perf_sample", time, serverOf(player), matchIdOf(player), player, {
      ping_ms: round(player.region.basePingMs + random.exponential(8), 1),
      packet_loss: random.chance(0.85) ? 0 : round(random.float() * 0.05, 4),
    });
    queue.push(time + 5000, { kind: "client_perf", player, token: player.matchToken });
  };

  const run = (time: number, action: Action): void => {
    switch (action.kind) {
      case "slot_start":
        return startMatch(time, action.slot);
      case "match_end":
        return endMatch(time, action.match);
      case "spawn":
        if (action.token === action.player.matchToken) spawn(time, action.player);
        return;
      case "move":
        if (action.token === action.player.lifeToken && action.player.alive) move(time, action.player);
        return;
      case "seek":
        if (action.token === action.player.lifeToken && action.player.alive) seek(time, action.player);
        return;
      case "shot":
        return shot(time, action.duel);
      case "server_perf":
        return serverPerf(time, action.serverId);
      case "client_perf":
        if (action.token === action.player.matchToken) clientPerf(time, action.player);
        return;
    }
  };

  for (const serverId of serverIds) {
    queue.push(config.startTime + random.int(0, 4999), { kind: "server_perf", serverId });
  }
  for (let slot = 0; slot < config.matches; slot++) {
    queue.push(config.startTime + random.int(0, 5000), { kind: "slot_start", slot });
  }

  return {
    next(): TelemetryEvent {
      while (outIndex >= out.length) {
        out.length = 0;
        outIndex = 0;
        const item = queue.pop();
        if (item === undefined) throw new Error("simulation ran out of actions");
        run(item.time, item.action);
      }
      return out[outIndex++] as TelemetryEvent;
    },
  };
};
