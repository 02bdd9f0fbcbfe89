import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { SourceProgress } from "./MongoSource.js";

/** Metric names of the source, in one place; the README's "Metrics" table lists the same names and help texts. */
export const SourceMetricNames = {
  events: "gametel_source_events_published_total",
  deadLetters: "gametel_source_dead_letters_total",
  copied: "gametel_source_documents_copied_total",
  checkpoints: "gametel_source_checkpoints_total",
  running: "gametel_source_running",
  resumePointsLost: "gametel_source_resume_points_lost_total",
  mongoReconnects: "gametel_source_mongo_reconnects_total",
} as const;

export const SourceMetricHelp: Record<keyof typeof SourceMetricNames, string> = {
  events: "Valid events published to the events topic and acknowledged by Kafka.",
  deadLetters: "Documents published to the dead-letter topic (not valid events).",
  copied: "Documents published by the copy of existing documents (included in the two above).",
  checkpoints: "Offsets saved in MongoDB after Kafka acknowledged.",
  running: "1 while the source copies or follows the change stream, 0 otherwise.",
  resumePointsLost:
    "Saved resume points the server refused (oplog history lost, code 286 and kin); documents may be missing until recovered.",
  mongoReconnects:
    "Change streams reopened after MongoDB was unreachable (restart, failover), within --mongo-patience-ms.",
};

/** A registry whose source metrics are read from `progress()` at every scrape (plus Node's default metrics). */
export function createSourceRegistry(progress: () => SourceProgress): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  for (const key of [
    "events",
    "deadLetters",
    "copied",
    "checkpoints",
    "resumePointsLost",
    "mongoReconnects",
  ] as const) {
    new Counter({
      name: SourceMetricNames[key],
      help: SourceMetricHelp[key],
      registers,
      collect() {
        this.reset();
        this.inc(progress()[key]);
      },
    });
  }
  new Gauge({
    name: SourceMetricNames.running,
    help: SourceMetricHelp.running,
    registers,
    collect() {
      this.set(progress().running ? 1 : 0);
    },
  });
  return registry;
}
