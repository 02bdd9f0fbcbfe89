/**
 * Throughput of the hot paths on one core: decode (bytes → validated event) and reduce (decoded events →
 * PlayerStats), plus the other reducers and the deduplicator. Prints events/s; run with
 * `pnpm --filter @gametel/core bench` (optionally `-- --seconds 3`).
 */
import {
  decodeEvent,
  decodeEventUnknown,
  decodeEventWithSchema,
  deduplicator,
  matchStatsReducer,
  playerStatsReducer,
  serverPerfReducer,
  type TelemetryEvent,
} from "../src/index.js";
import { TelemetryEventSchema } from "../src/Event.js";
import { makeDecoder } from "../src/internal/decoder.js";

/** The general path alone (UTF-8 → JSON.parse → generated validator), for comparison with the scanner. */
const generalPath = makeDecoder(TelemetryEventSchema, "generated", false);

const secondsArg = process.argv.indexOf("--seconds");
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 2;

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same events. */
const random = (() => {
  let a = 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const pick = <A>(xs: readonly A[]): A => xs[Math.floor(random() * xs.length)]!;
const hex = (n: number) =>
  Math.floor(random() * 16 ** n)
    .toString(16)
    .padStart(n, "0");
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(6)}${hex(6)}`;
const round = (x: number) => Math.round(x * 100) / 100;

/** A typical mix: mostly movement, then shots, hits, perf samples, a few kills/deaths/spawns. */
const makeEvent = (i: number): Record<string, unknown> => {
  const player = `player-${Math.floor(random() * 1000)}`;
  const base = {
    event_id: uuid(),
    event_version: 1,
    event_time: 1_732_760_000_000 + i * 10,
    game_id: "arena-shooter",
    server_id: "eu-west-1:srv-07",
    match_id: `match-${Math.floor(i / 5000)}`,
    player_id: player,
    session_id: `sess-${player}`,
  };
  const position = {
    x: round(random() * 2000 - 1000),
    y: round(random() * 2000 - 1000),
    z: round(random() * 50),
  };
  const r = random();
  if (r < 0.5)
    return { ...base, event_type: "player_move", data: { life: 1 + Math.floor(random() * 5), position } };
  if (r < 0.7)
    return { ...base, event_type: "shot_fired", data: { weapon: pick(["rifle", "smg", "pistol"]) } };
  if (r < 0.8) {
    return {
      ...base,
      event_type: "player_hit",
      data: {
        target_id: "player-7",
        weapon: "rifle",
        damage: round(random() * 40),
        headshot: random() < 0.2,
      },
    };
  }
  if (r < 0.85)
    return {
      ...base,
      event_type: "perf_sample",
      player_id: null,
      match_id: null,
      data: {
        fps: round(30 + random() * 200),
        frame_time_ms: round(random() * 30),
        ping_ms: round(random() * 120),
      },
    };
  if (r < 0.9)
    return {
      ...base,
      event_type: "player_kill",
      data: {
        victim_id: "player-7",
        weapon: "rifle",
        headshot: random() < 0.3,
        distance_m: round(random() * 80),
      },
    };
  if (r < 0.95)
    return {
      ...base,
      event_type: "player_death",
      data: { life: 1 + Math.floor(random() * 5), killer_id: "player-9", cause: "shot" },
    };
  return {
    ...base,
    event_type: "player_spawn",
    data: { life: 1 + Math.floor(random() * 5), team: "red", position },
  };
};

const N = 20_000;
const texts = Array.from({ length: N }, (_, i) => JSON.stringify(makeEvent(i)));
/** Parsed objects, as JSON.parse or a database driver hands them over. */
const objects = texts.map((t) => JSON.parse(t) as unknown);
const encoder = new TextEncoder();
const bytes = texts.map((t) => encoder.encode(t));
const avgBytes = Math.round(bytes.reduce((n, b) => n + b.byteLength, 0) / N);
const decoded: TelemetryEvent[] = [];
for (const b of bytes) {
  const r = decodeEvent(b);
  if (!r.ok) throw new Error(`bench event rejected: ${r.error.path} ${r.error.reason}`);
  decoded.push(r.event);
}

let sink = 0;
/**
 * Runs `body(i)` over the pool until SECONDS of wall time elapsed (after a warm-up). Reports events per
 * second of this process's CPU time (user + system: what one core delivers, robust to other load on the
 * machine) and, for reference, per second of wall time.
 */
const measure = (name: string, body: (i: number) => void, pool = N): number => {
  for (let i = 0; i < Math.min(pool, 20_000); i++) body(i);
  let ops = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < SECONDS * 1000) {
    for (let i = 0; i < pool; i++) body(i);
    ops += pool;
    elapsed = performance.now() - start;
  }
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const rate = (ops / cpuMs) * 1000;
  const wall = (ops / elapsed) * 1000;
  const fmt = (x: number) => Math.round(x).toLocaleString("en-US").padStart(12);
  console.log(`${name.padEnd(54)} ${fmt(rate)} events/s per core   (${fmt(wall).trim()} /s wall)`);
  return rate;
};

console.log(
  `@gametel/core bench — node ${process.version}, ${N} distinct events, ${avgBytes} bytes avg, ${SECONDS}s per line`,
);
console.log("decode");
measure("  decodeEvent(bytes)  [schema-guided byte scanner]", (i) => {
  const r = decodeEvent(bytes[i]!);
  if (r.ok) sink += r.event.event_time & 1;
});
measure("  general path, bytes [UTF-8 + JSON.parse + validate]", (i) => {
  const r = generalPath.decode(bytes[i]!);
  if (r.ok) sink += r.event.event_time & 1;
});
measure("  decodeEvent(string) [JSON.parse + validate]", (i) => {
  const r = decodeEvent(texts[i]!);
  if (r.ok) sink += r.event.event_time & 1;
});
measure("  JSON.parse(string) alone (baseline)", (i) => {
  sink += (JSON.parse(texts[i]!) as { event_time: number }).event_time & 1;
});
measure("  decodeEventUnknown(object) [validate only]", (i) => {
  const r = decodeEventUnknown(objects[i]!);
  if (r.ok) sink += r.event.event_time & 1;
});
measure(
  "  decodeEventWithSchema(object) [Effect]",
  (i) => {
    const r = decodeEventWithSchema(objects[i]!);
    if (r.ok) sink += r.event.event_time & 1;
  },
  2_000,
);

console.log("reduce (decoded events)");
let player = playerStatsReducer.init();
measure("  playerStatsReducer.reduce", (i) => {
  player = playerStatsReducer.reduce(player, decoded[i]!);
});
sink += playerStatsReducer.result(player).kills;
let match = matchStatsReducer.init();
measure("  matchStatsReducer.reduce", (i) => {
  match = matchStatsReducer.reduce(match, decoded[i]!);
});
sink += matchStatsReducer.result(match).kills;
const perfEvents = decoded.filter((e) => e.event_type === "perf_sample");
let perf = serverPerfReducer.init();
measure(
  "  serverPerfReducer.reduce (perf_sample only)",
  (i) => {
    perf = serverPerfReducer.reduce(perf, perfEvents[i]!);
  },
  perfEvents.length,
);
sink += serverPerfReducer.result(perf).count;

console.log("dedup");
const dedup = deduplicator();
const dedupState = dedup.init();
let t = 0;
measure("  deduplicator.admit (new ids, 10k-id window)", (i) => {
  if (dedup.admit(dedupState, decoded[i]!.event_id, (t += 100))) sink++;
});
console.log(sink > 0 ? "" : " ");
