import { toKafkajsConfig } from "@gametel/runtime";
import { kafkajsLogCreator } from "@gametel/ops";
import { Kafka, logLevel, Partitioners, type Message, type Producer } from "kafkajs";
import type { OutgoingRecord } from "./documentToRecord.js";
import type { KafkaConnection } from "./SourceConfig.js";
import type { SourceLogger } from "./SourceLogger.js";

/** Sends records and resolves only when the brokers acknowledged all of them. */
export interface RecordPublisher {
  connect(): Promise<void>;
  publish(records: readonly OutgoingRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * kafkajs producer: acks from all in-sync replicas, idempotent (no duplicates from producer retries), one
 * request in flight (order kept per partition), and the Java-compatible murmur2 partitioner, so a key
 * lands on the same partition as from the Java client, librdkafka's murmur2 and the processors.
 */
export function createKafkaPublisher(connection: KafkaConnection, logger: SourceLogger): RecordPublisher {
  const kafka = new Kafka({
    // brokers, client id, TLS (and CA file), SASL: the runtime's mapping, shared with the processors.
    ...toKafkajsConfig(connection),
    logLevel: logLevel.WARN,
    // A real failure reaches us as a rejected send, so kafkajs' errors (often retried) are warnings here.
    logCreator: kafkajsLogCreator(logger, { errorsAsWarnings: true }),
  });
  const producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
  });
  return {
    connect: () => producer.connect(),
    async publish(records) {
      if (records.length === 0) return;
      const byTopic = new Map<string, Message[]>();
      for (const r of records) {
        const messages = byTopic.get(r.topic) ?? [];
        messages.push({ key: r.key, value: r.value, ...(r.headers ? { headers: { ...r.headers } } : {}) });
        byTopic.set(r.topic, messages);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    },
    disconnect: () => producer.disconnect(),
  };
}
