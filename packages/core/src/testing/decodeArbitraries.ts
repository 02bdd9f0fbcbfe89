/** Test-only fast-check arbitraries of decoder inputs: valid events and mutations of them. */
import fc from "fast-check";
import { death, hit, kill, matchEnd, matchStart, move, perf, sessionStart, shot, spawn } from "./events.js";

export const validEventArb = fc
  .record({
    n: fc.nat(1000),
    time: fc.integer({ min: 0, max: 2_000_000_000_000 }),
    life: fc.integer({ min: 1, max: 5 }),
    kind: fc.integer({ min: 0, max: 10 }),
  })
  .map(({ n, time, life, kind }) => {
    const events = [
      spawn(n, time, "m1", life),
      death(n, time, "m1", life),
      kill(n, time, "m1", n % 2 === 0),
      hit(n, time, "m1", n / 7),
      shot(n, time, "m1"),
      move(n, time, "m1", life),
      sessionStart(n, time),
      matchStart(n, time, "m1"),
      matchEnd(n, time, "m1", n % 3 === 0 ? null : "red"),
      perf(n, time, n % 2 === 0 ? { fps: 60, ping_ms: n } : { packet_loss: 0.1 }),
      { ...shot(n, time, "m1"), data: { weapon: "x".repeat(life * 25) } },
    ];
    return JSON.parse(JSON.stringify(events[kind])) as Record<string, unknown>;
  });

export const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    1,
    -1,
    1.5,
    2 ** 53,
    NaN,
    Infinity,
    "",
    "x",
    "p-1",
    "a b",
    "$x",
    "1",
  ),
  fc.string({ maxLength: 70 }),
  fc.double(),
  fc.integer(),
  fc.constantFrom({}, [], { x: 1, y: 2, z: 3 }, { $gt: 1 }, { "a.b": 1 }, [{ $where: 1 }], { life: 1 }),
);

export const pathArb = fc.constantFrom(
  ["event_id"],
  ["event_type"],
  ["event_version"],
  ["event_time"],
  ["game_id"],
  ["server_id"],
  ["match_id"],
  ["player_id"],
  ["session_id"],
  ["data"],
  ["data", "life"],
  ["data", "position"],
  ["data", "position", "x"],
  ["data", "weapon"],
  ["data", "damage"],
  ["data", "headshot"],
  ["data", "fps"],
  ["data", "winning_team"],
  ["data", "killer_id"],
  ["data", "team"],
  ["extra"],
  ["$set"],
  ["data", "x.y"],
);

/** Generated values are reused while shrinking: never mutate them in place. */
export const clone = (event: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(event)) as Record<string, unknown>;

export type Mutation = {
  readonly path: ReadonlyArray<string>;
  readonly value: unknown;
  readonly remove: boolean;
};

export const apply = (root: Record<string, unknown>, m: Mutation): void => {
  let target: Record<string, unknown> = root;
  for (const key of m.path.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== "object" || next === null) return;
    target = next as Record<string, unknown>;
  }
  const last = m.path[m.path.length - 1]!;
  if (m.remove) delete target[last];
  // Pool values are shared between runs: write a copy.
  else
    target[last] =
      typeof m.value === "object" && m.value !== null ? JSON.parse(JSON.stringify(m.value)) : m.value;
};

export const inputArb = fc
  .tuple(
    validEventArb,
    fc.array(fc.record({ path: pathArb, value: valueArb, remove: fc.boolean() }), { maxLength: 3 }),
  )
  .map(([generated, mutations]) => {
    const event = clone(generated);
    for (const m of mutations) apply(event, m);
    return event;
  });
