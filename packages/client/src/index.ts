// @gametel/client: send game telemetry to the gametel collector from Node game servers and browsers.
export {
  createClient,
  type ClientOptions,
  type ClientStats,
  type DropReason,
  type GametelClient,
  type Rejection,
} from "./GametelClient.js";
export { buildEvent, type EventDefaults, type EventInput, type EventOf } from "./Events.js";
export { IngestHeaders, createSigner, sha256Hex, type Signer } from "./Signing.js";
export type { EventType, TelemetryEvent } from "@gametel/core";
