import rdkafka from "node-rdkafka";
import type { DeliveryReport, LibrdKafkaError, Producer as RdProducer } from "node-rdkafka";

const { Producer, CODES } = rdkafka;

/** Where a record landed. */
export interface Delivered {
  readonly partition: number;
  readonly offset: number;
  /** The opaque value passed to `send`. */
  readonly opaque: unknown;
}

/**
 * A fast, ordered node-rdkafka producer for loading the benchmark topics: murmur2 partitioning (the same
 * placement as the Java client, kafkajs' DefaultPartitioner and the processors), acks=all, idempotent.
 */
export class BenchProducer {
  readonly #producer: RdProducer;
  #pending = 0;
  #failure: Error | null = null;
  readonly #waiters: Array<() => void> = [];
  readonly #onDelivered: ((d: Delivered) => void) | undefined;

  private constructor(producer: RdProducer, onDelivered: ((d: Delivered) => void) | undefined) {
    this.#producer = producer;
    this.#onDelivered = onDelivered;
    producer.on("delivery-report", (error: LibrdKafkaError | null, report: DeliveryReport) => {
      this.#pending -= 1;
      if (error) this.#failure ??= new Error(`delivery failed: ${error.message}`);
      else this.#onDelivered?.({ partition: report.partition, offset: report.offset, opaque: report.opaque });
      if (this.#pending < 50_000) for (const w of this.#waiters.splice(0)) w();
    });
  }

  static async connect(
    brokers: readonly string[],
    options: { lingerMs?: number; onDelivered?: (d: Delivered) => void } = {},
  ): Promise<BenchProducer> {
    const producer = new Producer(
      {
        "metadata.broker.list": brokers.join(","),
        "client.id": "gametel-bench-producer",
        dr_cb: true,
        "enable.idempotence": true,
        "linger.ms": options.lingerMs ?? 20,
        "batch.num.messages": 10_000,
        "queue.buffering.max.messages": 200_000,
        "compression.type": "none",
      },
      { partitioner: "murmur2_random", "request.required.acks": -1 },
    );
    producer.setPollInterval(20);
    await new Promise<void>((resolve, reject) =>
      producer.connect({}, (err) => (err ? reject(new Error(err.message)) : resolve())),
    );
    return new BenchProducer(producer, options.onDelivered);
  }

  /** Queues one record; waits while too many are in flight. */
  async send(topic: string, key: string, value: Buffer, opaque?: unknown): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    while (this.#pending >= 100_000) await new Promise<void>((r) => this.#waiters.push(r));
    for (;;) {
      try {
        this.#producer.produce(topic, null, value, key, Date.now(), opaque);
        this.#pending += 1;
        return;
      } catch (error) {
        if ((error as LibrdKafkaError).code !== CODES.ERRORS.ERR__QUEUE_FULL) throw error;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  /** Waits until every queued record is acknowledged. */
  async flush(): Promise<void> {
    while (this.#pending > 0) {
      if (this.#failure !== null) throw this.#failure;
      await new Promise((r) => setTimeout(r, 10));
    }
    if (this.#failure !== null) throw this.#failure;
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve) => this.#producer.disconnect(() => resolve()));
  }
}
