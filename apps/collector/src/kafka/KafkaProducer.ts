import { toKafkajsConfig, type KafkaSettings, type Logger, type ProducedRecord } from "@gametel/runtime";
import { Kafka, Partitioners, logLevel, type LogEntry, type Message, type Producer } from "kafkajs";

/** The collector's view of Kafka: send-and-await-acks, and whether it is connected. */
export interface RecordProducer {
  /** Resolves when Kafka acknowledged every record (acks=all). */
  send(records: ProducedRecord[]): Promise<void>;
  /** Connected and the last send did not fail (for /readyz and fast 503s). */
  connected(): boolean;
  /** Connects once (main retries). */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * kafkajs producer: idempotent (no duplicates from its own retries), acks from all in-sync replicas, one request in
 * flight, kafkajs' unlimited retries for an idempotent producer (a send is never abandoned half-way, which would
 * break its sequence numbers; requests waiting longer than the ack timeout are answered 503 meanwhile), and the Java-compatible murmur2 partitioner on `partitionKey`, so a key lands on the same partition as
 * from the generator, the MongoDB source, librdkafka and the processors.
 */
export function createKafkaProducer(settings: KafkaSettings, logger: Logger): RecordProducer {
  const kafka = new Kafka({
    ...toKafkajsConfig(settings),
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = entry.log;
      logger.warn({ kafkajs: entry.namespace, ...fields }, message);
    },
  });
  const producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  let up = false;
  producer.on(producer.events.CONNECT, () => (up = true));
  producer.on(producer.events.DISCONNECT, () => (up = false));
  return {
    async send(records) {
      const byTopic = new Map<string, Message[]>();
      for (const r of records) {
        let messages = byTopic.get(r.topic);
        if (messages === undefined) byTopic.set(r.topic, (messages = []));
        messages.push({ key: r.key, value: r.value, ...(r.headers ? { headers: { ...r.headers } } : {}) });
      }
      try {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        up = true;
      } catch (error) {
        up = false;
        throw error;
      }
    },
    connected: () => up,
    async connect() {
      await producer.connect();
      up = true;
    },
    async disconnect() {
      await producer.disconnect();
    },
  };
}
