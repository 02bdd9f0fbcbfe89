import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reduceAll, StateCodecError } from "./Reducer.js";
import { permute, playerEventsArb } from "./testing/events.js";
import { killWeapon, weaponKillsReducer as r } from "./WeaponKills.js";

describe("WeaponKills", () => {
  it("counts kills and headshot kills, and nothing else", () => {
    fc.assert(
      fc.property(playerEventsArb(), (events) => {
        const kills = events.filter((e) => e.event_type === "player_kill");
        const headshots = kills.filter((e) => e.event_type === "player_kill" && e.data.headshot);
        expect(r.result(reduceAll(r, events))).toEqual({
          kills: kills.length,
          headshot_kills: headshots.length,
        });
        expect(events.filter((e) => killWeapon(e) !== null)).toHaveLength(kills.length);
      }),
    );
  });

  it("gives the same result for any order and any split into merged parts", () => {
    fc.assert(
      fc.property(
        playerEventsArb(),
        fc.array(fc.double({ noNaN: true, min: 0, max: 1 })),
        fc.nat(),
        (events, keys, cut) => {
          const whole = r.result(reduceAll(r, events));
          const shuffled = permute(events, keys);
          const at = events.length === 0 ? 0 : cut % (events.length + 1);
          const merged = r.merge(reduceAll(r, shuffled.slice(0, at)), reduceAll(r, shuffled.slice(at)));
          expect(r.result(reduceAll(r, shuffled))).toEqual(whole);
          expect(r.result(merged)).toEqual(whole);
        },
      ),
    );
  });

  it("round-trips its state through the codec and refuses bad states", () => {
    fc.assert(
      fc.property(playerEventsArb(), (events) => {
        const state = reduceAll(r, events);
        const json = JSON.parse(JSON.stringify(r.codec.encode(state))) as never;
        expect(r.result(r.codec.decode(json))).toEqual(r.result(state));
      }),
    );
    expect(() => r.codec.decode({ v: 1, kills: 1, headshots: 2 })).toThrow(StateCodecError);
    expect(() => r.codec.decode({ v: 2, kills: 1, headshots: 0 })).toThrow(StateCodecError);
    expect(() => r.codec.decode({ v: 1, kills: -1, headshots: 0 })).toThrow(StateCodecError);
  });
});
