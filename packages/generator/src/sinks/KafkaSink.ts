import { kafkajsLogCreator, type LevelLogger } from "@gametel/ops";
import type { KafkaConfig, Message, Producer } from "kafkajs";
import kafkajs from "kafkajs";
import SnappyCodec from "kafkajs-snappy";
import { createBatcher } from "../internal/Batcher.js";
import type { KafkaCompression } from "./Compression.js";
import type { Sink } from "./Sink.js";

// kafkajs is CommonJS: Node cannot see all of its exports as named ESM imports.
const { CompressionCodecs, CompressionTypes, Kafka, Partitioners, logLevel } = kafkajs;

export interface KafkaSinkOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Records per produce request. */
  readonly batchSize: number;
  /** How long a partly filled batch may wait for more records, ms. */
  readonly lingerMs: number;
  readonly compression: KafkaCompression;
  /** Partitions for the topic when it does not exist yet. */
  readonly partitions: number;
  readonly clientId?: string;
  /** TLS and SASL of the brokers (`kafkajsSecurity` of @gametel/ops); none = plaintext. */
  readonly connection?: Pick<KafkaConfig, "ssl" | "sasl">;
  /** Where kafkajs' own log lines go (the app's logger); none = dropped. */
  readonly logger?: LevelLogger;
}

const CODECS: Partial<Record<KafkaCompression, kafkajs.CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
};

/** The compression type kafkajs can write, or a one-line reason why not. */
export const kafkaCompression = (name: KafkaCompression): kafkajs.CompressionTypes => {
  const type = CODECS[name];
  if (type === undefined) {
    throw new RangeError(
      `--compression ${name}: kafkajs ships no ${name} codec (it needs a native add-on); use none, gzip or snappy`,
    );
  }
  if (type === CompressionTypes.Snappy) CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;
  return type;
};

/**
 * Produces each record to one topic with kafkajs, keyed by `partitionKey` and partitioned by its
 * Java-compatible default partitioner (murmur2 of the key, like the processors and the Java client).
 * Batches of `batchSize` records (or whatever arrived within `lingerMs`) go out as one request with acks=all;
 * one request is in flight at a time so records keep their order within a partition.
 */
export const createKafkaSink = async (options: KafkaSinkOptions): Promise<Sink> => {
  const compression = kafkaCompression(options.compression);
  const kafka = new Kafka({
    clientId: options.clientId ?? "gametel-generator",
    brokers: [...options.brokers],
    ...options.connection,
    logLevel: options.logger === undefined ? logLevel.NOTHING : logLevel.WARN,
    ...(options.logger === undefined ? {} : { logCreator: kafkajsLogCreator(options.logger) }),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(options.topic)) {
      await admin.createTopics({
        topics: [{ topic: options.topic, numPartitions: options.partitions }],
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
  const producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
    maxInFlightRequests: 1,
  });
  await producer.connect();

  const batcher = createBatcher<Message>({
    batchSize: options.batchSize,
    lingerMs: options.lingerMs,
    send: (messages) => producer.send({ topic: options.topic, messages, acks: -1, compression }),
  });

  return {
    target: `kafka:${options.topic}`,
    write(record) {
      return batcher.add({ key: record.key, value: record.json });
    },
    async close() {
      try {
        await batcher.flush();
      } finally {
        await producer.disconnect();
      }
    },
  };
};
