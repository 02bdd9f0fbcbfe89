/**
 * `@gametel/core`: wire format v1 (Effect Schema), a fast decoder, and exact, mergeable insight reducers.
 * Pure: no I/O, no clock, runs in browsers.
 *
 * @module
 */
export * from "./Fields.js";
export * from "./EventSet.js";
export * from "./Event.js";
export * from "./Decode.js";
export * from "./Reducer.js";
export * from "./ResultFields.js";
export * from "./PlayerStats.js";
export * from "./Window.js";
export * from "./Dedup.js";
export * from "./MatchStats.js";
export * from "./ServerPerf.js";
export * from "./WeaponKills.js";
export * from "./Leaderboard.js";
