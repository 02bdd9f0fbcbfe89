// Wire format v1 comes from @gametel/core; these are the shapes the simulation builds.
import type { EventType, TelemetryEvent } from "@gametel/core";

export type { EventType, TelemetryEvent } from "@gametel/core";
export { partitionKey } from "@gametel/core";

export type EventDataByType = {
  readonly [T in EventType]: Extract<TelemetryEvent, { event_type: T }>["data"];
};
export type Position = EventDataByType["player_spawn"]["position"];
