import {
  BrokerOutage,
  CommitCoalescer,
  EngineProgress,
  EngineSession,
  GroupOffsets,
  SerialBatcher,
  chunk,
  ensureProcessorTopics,
  silentLogger,
  toKafkajsConfig,
  toKafkajsConsumerConfig,
  type Engine,
  type Logger,
  type ProcessorConfig,
  type RuntimeMetrics,
  type ProducedRecord,
  type TopicPartition,
  type TopicPartitionOffset,
  topicPartitionKey,
  type EngineHandlers,
} from "@gametel/runtime/engine";
import {
  Kafka,
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type Message,
  type Producer,
  type RetryOptions,
} from "kafkajs";
import { isBrokerUnreachable, isRebalanceError, toRecord } from "./internal/messages.js";

export interface KafkajsEngineOptions {
  readonly logger?: Logger;
  /** Where the broker-outage gauge and reconnect counter go. */
  readonly metrics?: RuntimeMetrics;
}

/** Partition batches handled at once (kafkajs `partitionsConsumedConcurrently`). */
const PARTITIONS_CONCURRENTLY = 4;
/** Most records in one produce request (concurrent `produce()` calls are merged up to this). */
const MAX_RECORDS_PER_SEND = 10_000;
/**
 * kafkajs' own retries of one request: about 10 s in all, then the request fails (the default, 30 s at most per wait,
 * gave ~20 s). The engine's patience (`--broker-patience-ms`) decides how long an outage is waited out beyond that.
 */
const CLIENT_RETRY = { initialRetryTime: 300, maxRetryTime: 3_000, retries: 5 } as const;
/** Between two attempts of a produce or commit while the brokers are unreachable. */
const OUTAGE_RETRY_MS = 1_000;

/** The kafkajs engine (see `KafkajsEngine`). */
export function createKafkajsEngine(config: ProcessorConfig, options: KafkajsEngineOptions = {}): Engine {
  return new KafkajsEngine(config, options.logger ?? silentLogger, options.metrics);
}

/**
 * Engine port on kafkajs: `consumer.run({ eachBatch })` with `autoCommit: false` and
 * `eachBatchAutoResolve: false`; a kafkajs batch is handed over in chunks of `batchSize`, each chunk's last
 * offset resolved (and the group heartbeated) only once `onBatch` resolved, so an unprocessed chunk is fetched
 * again.
 *
 * Rebalances: kafkajs has no revocation callback, it rejoins by itself once in-flight batches are done. On every
 * GROUP_JOIN the engine calls `onRevoked` for ALL partitions it owned (they may have had another owner
 * meanwhile, so cached state is stale), then `onAssigned` for the new assignment, before any batch of the new
 * generation. The revoked partitions are no longer owned when `onRevoked` runs, so commits made from it are
 * skipped: what the loop writes there is replayed by the next owner (harmless: offset fences). On `stop()` the partitions
 * are still owned, so `onRevoked` can make a final commit before the group is left.
 *
 * Broker outages (`BrokerOutage`, `--broker-patience-ms`): a produce or commit that fails because no broker answers
 * is tried again every second; a consumer that crashes on such an error is restarted (kafkajs' `restartOnFailure`)
 * and rejoins the group. Nothing is committed meanwhile past what was applied. Once the patience is spent the session
 * fails with one line and the process exits 1; a restart resumes from the last commit.
 */
class KafkajsEngine implements Engine {
  readonly name = "kafkajs";
  readonly #config: ProcessorConfig;
  readonly #logger: Logger;
  readonly #kafka: Kafka;
  readonly #outage: BrokerOutage;
  #consumer: Consumer | null = null;
  #producer: Producer | null = null;
  readonly #offsets: GroupOffsets;
  #session: EngineSession | null = null;
  readonly #progress = new EngineProgress(
    () => this.#session,
    () => this.#offsets,
  );
  #stopping: Promise<void> | null = null;
  readonly #committer = new CommitCoalescer((offsets) => this.#sendCommit(offsets));
  readonly #sender = new SerialBatcher<ProducedRecord>(
    (records) => this.#send(records),
    MAX_RECORDS_PER_SEND,
  );

  constructor(config: ProcessorConfig, logger: Logger, metrics: RuntimeMetrics | undefined) {
    this.#config = config;
    this.#logger = logger;
    this.#kafka = new Kafka({ ...toKafkajsConfig(config.kafka, { logger }), retry: CLIENT_RETRY });
    this.#outage = new BrokerOutage({
      patienceMs: config.brokerPatienceMs,
      logger,
      ...(metrics === undefined
        ? {}
        : { metrics: { unreachable: metrics.brokerUnreachable, reconnects: metrics.brokerReconnects } }),
      onExhausted: (error) => this.#session?.fail(error),
    });
    this.#offsets = new GroupOffsets(config.kafka, config.group, config.topics.input, logger);
  }

  async start(handlers: EngineHandlers): Promise<void> {
    if (this.#session !== null) throw new Error("kafkajs engine: start() was already called");
    const { topics, group } = this.#config;
    // After a failure nothing is resolved any more; pause so kafkajs does not fetch the same batch in a loop.
    const session = new EngineSession(
      {
        onAssigned: (partitions) => handlers.onAssigned(partitions),
        onRevoked: (partitions) => handlers.onRevoked(partitions),
        onBatch: (batch) => handlers.onBatch(batch),
        onError: (error) => {
          this.#pauseInput();
          handlers.onError(error);
        },
      },
      this.#logger,
    );
    this.#session = session;
    await ensureProcessorTopics(this.#config.kafka, topics, this.#logger);

    // Idempotent, so a retried request (e.g. NOT_LEADER on some partitions of it) writes nothing twice; kafkajs'
    // idempotent producer is only safe one request at a time, hence maxInFlightRequests 1 and the SerialBatcher.
    this.#producer = this.#kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    // A consumer that crashed because no broker answers restarts (and rejoins) while the patience lasts.
    const retry: RetryOptions = {
      ...CLIENT_RETRY,
      restartOnFailure: (error) =>
        Promise.resolve(isBrokerUnreachable(error) ? this.#outage.unreachable(error) : true),
    };
    const consumer = this.#kafka.consumer({ ...toKafkajsConsumerConfig(this.#config), retry });
    this.#consumer = consumer;
    await Promise.all([this.#offsets.connect(), this.#producer.connect(), consumer.connect()]);

    consumer.on(consumer.events.FETCH, () => this.#outage.reachable());
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#outage.reachable();
      const assigned = (payload.memberAssignment[topics.input] ?? [])
        .map((partition): TopicPartition => ({ topic: topics.input, partition }))
        .sort((a, b) => a.partition - b.partition);
      void session.rebalance(async () => {
        await session.revoked(session.owned(), { alreadyGone: true });
        await session.assigned(assigned);
      });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart)
        this.#logger.warn({ err: payload.error }, "kafkajs consumer crashed; it restarts and rejoins");
      else session.fail(payload.error);
    });

    await consumer.subscribe({ topics: [topics.input], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
      eachBatch: (payload) => this.#eachBatch(session, payload),
    });
    this.#logger.info({ group, topic: topics.input }, "kafkajs engine started");
  }

  async #eachBatch(session: EngineSession, payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const records = batch.messages.map((m) => toRecord(batch.topic, batch.partition, m));
    for (const part of chunk(records, this.#config.batchSize)) {
      if (!isRunning() || isStale() || session.state !== "running") return;
      const delivered = await session.batch(() =>
        session.deliver({ topic: batch.topic, partition: batch.partition, records: part }),
      );
      if (!delivered) return;
      resolveOffset(part[part.length - 1]!.offset.toString());
      // Throws when the group is rebalancing: kafkajs then rejoins, and this batch's rest is fetched again.
      await heartbeat();
    }
  }

  commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const session = this.#session;
    if (session === null || session.state === "stopped")
      return Promise.reject(new Error("kafkajs engine is not running"));
    const owned = offsets.filter((o) => session.isOwned(o));
    if (owned.length < offsets.length) {
      this.#logger.debug(
        { skipped: offsets.filter((o) => !session.isOwned(o)).map(topicPartitionKey) },
        "commit of partitions not owned skipped",
      );
    }
    return this.#committer.commit(owned);
  }

  /**
   * Runs a request; while it fails because no broker answers, waits and tries again until the brokers answer or the
   * patience is spent (then the session has failed with the exit line, and the error is thrown).
   */
  async #patiently<T>(request: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const result = await request();
        this.#outage.reachable();
        return result;
      } catch (error) {
        if (!isBrokerUnreachable(error) || this.#session?.state === "stopped") throw error;
        if (!this.#outage.unreachable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_RETRY_MS));
      }
    }
  }

  async #sendCommit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    try {
      await this.#patiently(() =>
        this.#consumer!.commitOffsets(
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset.toString() })),
        ),
      );
    } catch (error) {
      if (!isRebalanceError(error)) throw error;
      this.#logger.warn(
        { err: error, offsets: offsets.map(topicPartitionKey) },
        "commit refused while the group rebalances; the next owner replays from the last commit",
      );
    }
  }

  produce(records: readonly ProducedRecord[]): Promise<void> {
    if (this.#producer === null || this.#session?.state === "stopped") {
      return Promise.reject(new Error("kafkajs engine is not running"));
    }
    return this.#sender.add(records);
  }

  async #send(records: readonly ProducedRecord[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const r of records) {
      const messages = byTopic.get(r.topic) ?? [];
      const message: Message = { key: r.key, value: r.value };
      if (r.headers !== undefined) message.headers = { ...r.headers };
      messages.push(message);
      byTopic.set(r.topic, messages);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    await this.#patiently(() => this.#producer!.sendBatch({ acks: -1, topicMessages }));
  }

  // Owned partitions, lag, caught up, partition count: the same for every client (EngineProgress).
  readonly assignment = () => this.#progress.assignment();
  readonly lag = () => this.#progress.lag();
  readonly caughtUp = () => this.#progress.caughtUp();
  readonly inputPartitionCount = () => this.#progress.inputPartitionCount();

  #pauseInput(): void {
    try {
      this.#consumer?.pause([{ topic: this.#config.topics.input }]);
    } catch {
      // not running yet: nothing to pause
    }
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const session = this.#session;
    const consumer = this.#consumer;
    let failure: unknown = null;
    if (session !== null && consumer !== null) {
      // No new fetches are handed over; onRevoked runs while kafkajs still runs, so its commits go through.
      this.#pauseInput();
      await session.stop().catch((error: unknown) => (failure = error));
    }
    const closing = [consumer?.disconnect(), this.#producer?.disconnect(), this.#offsets.disconnect()];
    const results = await Promise.allSettled(closing);
    this.#outage.close();
    session?.markStopped();
    this.#logger.info({}, "kafkajs engine stopped");
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure !== null) throw failure;
    if (rejected !== undefined) throw rejected.reason;
  }
}
