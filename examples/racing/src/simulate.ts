/**
 * Deterministic racing telemetry for the example's processor: races of a few laps, one after another in event
 * time, with every player's spawn, checkpoint splits, laps and finish, plus duplicates, malformed records and events
 * held back until their window closed (late). Same options: same records.
 */
export interface SimulateOptions {
  readonly seed?: number;
  readonly races?: number;
  readonly players?: number;
  readonly playersPerRace?: number;
  readonly laps?: number;
  /** Fractions of events written twice / held back past their window's grace / malformed records added. */
  readonly duplicates?: number;
  readonly late?: number;
  readonly malformed?: number;
  readonly gameId?: string;
  readonly startTime?: number;
}

export interface SimulatedRecord {
  /** The partition key (`game_id:player_id`), as `RacingEvents.partitionKey` gives it. */
  readonly key: string;
  readonly value: string;
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulateRaces(options: SimulateOptions = {}): SimulatedRecord[] {
  const random = prng(options.seed ?? 1);
  const gameId = options.gameId ?? "kart-racer";
  const players = options.players ?? 12;
  const perRace = Math.min(players, options.playersPerRace ?? 8);
  const laps = options.laps ?? 4;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
  const out: SimulatedRecord[] = [];
  const held: { record: SimulatedRecord; releaseAfter: number }[] = [];
  let time = options.startTime ?? Date.UTC(2026, 0, 1);
  for (let race = 0; race < (options.races ?? 30); race += 1) {
    const matchId = `race-${race}`;
    const track = ["harbour", "canyon", "glacier"][race % 3]!;
    const field = [...Array(players).keys()].sort(() => random() - 0.5).slice(0, perRace);
    const racers = field.map((p) => ({ player: `driver-${String(p).padStart(2, "0")}`, total: 0 }));
    const timeline: { time: number; player: string; type: string; data: unknown }[] = [];
    for (const racer of racers) {
      timeline.push({
        time,
        player: racer.player,
        type: "player_spawn",
        data: { life: 1, position: { x: 0, y: 0, z: 0 } },
      });
      for (let lap = 1; lap <= laps; lap += 1) {
        const lapTime = 55_000 + Math.floor(random() * 12_000);
        for (let checkpoint = 1; checkpoint <= 3; checkpoint += 1) {
          const split = Math.floor((lapTime * checkpoint) / 4);
          timeline.push({
            time: time + racer.total + split,
            player: racer.player,
            type: "checkpoint_passed",
            data: { lap, checkpoint, split_ms: split },
          });
        }
        racer.total += lapTime;
        timeline.push({
          time: time + racer.total,
          player: racer.player,
          type: "lap_completed",
          data: { lap, lap_time_ms: lapTime, track },
        });
      }
    }
    [...racers]
      .sort((a, b) => a.total - b.total || (a.player < b.player ? -1 : 1))
      .forEach((racer, i) =>
        timeline.push({
          time: time + racer.total,
          player: racer.player,
          type: "race_finished",
          data: { position: i + 1, total_time_ms: racer.total },
        }),
      );
    timeline.sort((a, b) => a.time - b.time);
    for (const e of timeline) {
      // Held-back events are released once event time is past their window's end plus grace.
      while (held.length > 0 && held[0]!.releaseAfter <= e.time) out.push(held.shift()!.record);
      const value = JSON.stringify({
        event_id: uuid(),
        event_type: e.type,
        event_version: 1,
        event_time: e.time,
        game_id: gameId,
        server_id: "eu-1",
        match_id: matchId,
        player_id: e.player,
        data: e.data,
      });
      const record = { key: `${gameId}:${e.player}`, value };
      if (random() < (options.late ?? 0)) {
        const windowEnd = Math.floor(e.time / 300_000) * 300_000 + 300_000;
        held.push({ record, releaseAfter: windowEnd + 60_000 + 120_000 });
        continue;
      }
      out.push(record);
      if (random() < (options.duplicates ?? 0)) out.push(record);
      if (random() < (options.malformed ?? 0)) {
        out.push({ key: record.key, value: value.replace('"event_version":1', '"event_version":"one"') });
      }
    }
    time += Math.max(...racers.map((r) => r.total)) + 30_000;
  }
  for (const h of held) out.push(h.record);
  return out;
}
