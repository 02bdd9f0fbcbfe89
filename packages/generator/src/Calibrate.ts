import type { GeneratorOptions } from "./Generator.js";
import { createGenerator } from "./Generator.js";

const WARM_UP_MS = 30_000;
const MEASURE_MS = 180_000;

/**
 * Events per second of game time that a simulation of this size produces once its matches run
 * (measured by simulating three minutes after a warm-up; deterministic for the same options).
 */
export const eventsPerGameSecond = (options: GeneratorOptions): number => {
  const { maxRecords: _unbounded, ...size } = options;
  const generator = createGenerator({ ...size, duplicates: 0, outOfOrder: 0, late: 0, malformed: 0 });
  const first = generator.next();
  if (first === undefined) return 0;
  const from = first.eventTime + WARM_UP_MS;
  const to = from + MEASURE_MS;
  let count = 0;
  for (
    let record = generator.next();
    record !== undefined && record.eventTime < to;
    record = generator.next()
  ) {
    if (record.eventTime >= from) count++;
  }
  return (count * 1000) / MEASURE_MS;
};

export interface Sizing {
  readonly players: number;
  readonly matches: number;
  readonly servers: number;
  /** Expected events per second of game time at this size (estimated from the measured size). */
  readonly eventsPerSecond: number;
}

/**
 * Scales the population and the concurrent matches so that the game, played at wall-clock speed, produces
 * about `rate` events per second (for live mode, where event time follows the wall clock).
 */
export const sizeForRate = (options: GeneratorOptions, rate: number): Sizing => {
  const players = options.players ?? 100;
  const matches = options.matches ?? 8;
  const servers = options.servers ?? 4;
  const measured = eventsPerGameSecond({ ...options, players, matches, servers });
  const factor = rate / measured;
  const scaledMatches = Math.max(1, Math.round(matches * factor));
  const scaled = {
    players: Math.max(2 * scaledMatches, Math.round(players * factor)),
    matches: scaledMatches,
    servers: Math.max(1, Math.min(scaledMatches, Math.round(servers * Math.max(1, factor)))),
  };
  // Activity grows with the number of matches (the team size stays the same when both scale together).
  return { ...scaled, eventsPerSecond: (measured * scaled.matches) / matches };
};
