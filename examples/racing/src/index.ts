export * from "./Events.js";
export * from "./LapStats.js";
