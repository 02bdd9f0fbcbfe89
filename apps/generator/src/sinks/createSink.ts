import type { LevelLogger } from "@gametel/ops";
import type { TargetConfig } from "../cli.js";
import type { Sink } from "./Sink.js";

/** Opens the target; client libraries load only for the target in use. */
export const createSink = async (target: TargetConfig, logger?: LevelLogger): Promise<Sink> => {
  switch (target.kind) {
    case "ndjson":
      return (await import("./NdjsonSink.js")).createNdjsonSink(target.path);
    case "kafka":
      return (await import("./KafkaSink.js")).createKafkaSink(
        logger === undefined ? target : { ...target, logger },
      );
    case "mongo":
      return (await import("./MongoSink.js")).createMongoSink(target);
  }
};
