import type { LevelLogger } from "@gametel/ops";
import type { KafkaConfig } from "kafkajs";
import type { KafkaCompression } from "./Compression.js";
import type { Sink } from "./Sink.js";

/** Where a run writes: an NDJSON file (`-` = stdout), a Kafka topic or MongoDB's `telemetry` collection. */
export type SinkTarget =
  | { readonly kind: "ndjson"; readonly path: string }
  | {
      readonly kind: "kafka";
      readonly topic: string;
      readonly brokers: readonly string[];
      readonly partitions: number;
      readonly batchSize: number;
      readonly lingerMs: number;
      readonly compression: KafkaCompression;
      /** TLS and SASL of the brokers; none = plaintext. */
      readonly connection?: Pick<KafkaConfig, "ssl" | "sasl">;
    }
  | {
      readonly kind: "mongo";
      readonly uri: string;
      readonly db: string;
      readonly batchSize: number;
      readonly lingerMs: number;
    };

/** Opens the target; client libraries load only for the target in use. */
export const createSink = async (target: SinkTarget, logger?: LevelLogger): Promise<Sink> => {
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
