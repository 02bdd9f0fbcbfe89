export * from "./Events.js";
export * from "./LapStats.js";
export * from "./RacingModel.js";
export * from "./simulate.js";
