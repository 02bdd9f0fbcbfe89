import { toKafkajsConfig } from "@gametel/runtime";
import { Kafka, logLevel, Partitioners, type LogEntry, type Message, type Producer } from "kafkajs";
import type { OutgoingRecord } from "./internal/documentToRecord.js";
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
    logCreator: () => (entry: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = entry.log;
      const line = { kafkajs: entry.namespace, ...fields };
      // kafkajs logs retriable broker answers ("coordinator is loading") as errors and retries them; a
      // real failure reaches us as a rejected send. So its errors are warnings here.
      if (entry.level <= logLevel.WARN) logger.warn(line, message);
      else logger.debug(line, message);
    },
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
