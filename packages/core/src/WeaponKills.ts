/**
 * `WeaponKills`: kills and headshot kills with one weapon, for one player (a keyed aggregation targets one document
 * per player and weapon, see the runtime's arena model). Counts only, so exact and order-independent.
 */
import type { TelemetryEvent } from "./Event.js";
import { type JsonValue, type Reducer, StateCodecError } from "./Reducer.js";

export interface WeaponKills {
  readonly kills: number;
  readonly headshot_kills: number;
}

/** The fold state (opaque: use `weaponKillsReducer`). */
export interface WeaponKillsState {
  kills: number;
  headshots: number;
}

/** The weapon of a `player_kill` event, or null for any other event. */
export const killWeapon = (event: TelemetryEvent): string | null =>
  event.event_type === "player_kill" ? event.data.weapon : null;

const count = (o: Record<string, JsonValue>, key: string): number => {
  const v = o[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    throw new StateCodecError(key, "expected an integer >= 0");
  return v;
};

/**
 * Counts `player_kill` events (and those with `headshot`); other events leave the state unchanged.
 *
 * @example
 * import { reduceAll, weaponKillsReducer } from "@gametel/core";
 * weaponKillsReducer.result(reduceAll(weaponKillsReducer, killsWithTheRifle)); // { kills, headshot_kills }
 */
export const weaponKillsReducer: Reducer<WeaponKillsState, TelemetryEvent, WeaponKills> = {
  init: () => ({ kills: 0, headshots: 0 }),
  reduce: (state, event) => {
    if (event.event_type === "player_kill") {
      state.kills += 1;
      if (event.data.headshot) state.headshots += 1;
    }
    return state;
  },
  merge: (a, b) => ({ kills: a.kills + b.kills, headshots: a.headshots + b.headshots }),
  result: (state) => ({ kills: state.kills, headshot_kills: state.headshots }),
  codec: {
    encode: (state) => ({ v: 1, kills: state.kills, headshots: state.headshots }),
    decode: (json) => {
      if (typeof json !== "object" || json === null || Array.isArray(json))
        throw new StateCodecError("", "expected an object");
      const o = json as Record<string, JsonValue>;
      if (o["v"] !== 1) throw new StateCodecError("v", "expected format version 1");
      const state = { kills: count(o, "kills"), headshots: count(o, "headshots") };
      if (state.headshots > state.kills) throw new StateCodecError("headshots", "exceeds kills");
      return state;
    },
  },
};
