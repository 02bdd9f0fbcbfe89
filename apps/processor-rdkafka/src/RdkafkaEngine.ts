import {
  BrokerOutage,
  EngineProgress,
  EngineSession,
  GroupOffsets,
  librdkafkaLogListener,
  chunk,
  ensureProcessorTopics,
  silentLogger,
  toLibrdkafkaConfig,
  toLibrdkafkaConsumerConfig,
  toPartitionBatches,
  topicPartitionKey,
  type Engine,
  type Logger,
  type PartitionBatch,
  type ProcessorConfig,
  type ProducedRecord,
  type RuntimeMetrics,
  type TopicPartition,
  type TopicPartitionOffset,
  type EngineHandlers,
} from "@gametel/runtime/engine";
import rdkafka from "node-rdkafka";
import { toError, toHeaderList, toRecord } from "./internal/messages.js";
import type {
  Assignment,
  ConsumerGlobalConfig,
  KafkaConsumer as Consumer,
  LibrdKafkaError,
  Message,
  Producer as RdProducer,
  ProducerGlobalConfig,
} from "node-rdkafka";

const { KafkaConsumer, Producer, CODES } = rdkafka;
const E = CODES.ERRORS;

export interface RdkafkaEngineOptions {
  readonly logger?: Logger;
  /** Where the broker-outage gauge and reconnect counter go. */
  readonly metrics?: RuntimeMetrics;
}

/** Connecting and the final producer flush give up after this. */
const REQUEST_TIMEOUT_MS = 10_000;
/** librdkafka errors that mean "the group is rebalancing": the commit is dropped, the next owner replays. */
/** librdkafka errors that mean no broker answers (when it reports them: a probe does not wait for them). */
const UNREACHABLE_ERRORS = new Set([E.ERR__ALL_BROKERS_DOWN, E.ERR__TRANSPORT]);
/** node-rdkafka 3.6 reports those errors with code -1: their messages then. */
const UNREACHABLE_MESSAGES = /all broker connections are down|broker transport failure/i;
const isUnreachable = (error: LibrdKafkaError) =>
  UNREACHABLE_ERRORS.has(error.code) || UNREACHABLE_MESSAGES.test(error.message);
/** A metadata request this often tells whether the brokers answer (librdkafka itself reconnects silently). */
const OUTAGE_PROBE_MS = 2_000;
const REBALANCE_ERRORS = new Set([
  E.ERR_REBALANCE_IN_PROGRESS,
  E.ERR_ILLEGAL_GENERATION,
  E.ERR_UNKNOWN_MEMBER_ID,
]);

/** The node-rdkafka engine (see `RdkafkaEngine`). */
export function createRdkafkaEngine(config: ProcessorConfig, options: RdkafkaEngineOptions = {}): Engine {
  return new RdkafkaEngine(config, options.logger ?? silentLogger, options.metrics);
}

/**
 * Engine port on node-rdkafka (librdkafka). The consumer runs in batch mode, `consume(n)` in a loop, never
 * streams, with n = `batchSize` × owned partitions: `batchSize` bounds a partition batch, as in the kafkajs
 * engine, so a call's records are split per partition, each partition's records handed over in chunks of at
 * most `batchSize` (partitions concurrently, chunks of one partition in order), and the next call waits until
 * every batch of the previous one resolved. (One call of `batchSize` records spread over six partitions gave
 * batches of about 170 and six times the MongoDB round trips per event.)
 *
 * Rebalances (eager): librdkafka's `rebalance_cb` only queues the work; it runs when no consume call is in
 * flight and no batch is running, so one consume call never mixes two assignments. On revocation `onRevoked`
 * runs (its commits are synchronous) BEFORE `unassign()`; on assignment `onAssigned` runs before `assign()`.
 *
 * Offsets: `enable.auto.commit=false`, `enable.auto.offset.store=false`. `commit()` stores the offsets
 * (`offsetsStore`) and commits them asynchronously: the result arrives through `offset_commit_cb` during the
 * next consume call (failures are logged; later commits carry newer offsets). Inside `onRevoked` and `stop()`
 * commits are synchronous, so the final positions are in the group before the partitions are given away.
 *
 * Producer: idempotent (acks=all), `partitioner=murmur2_random` (Java-compatible for non-null keys),
 * `produce()` resolves when every record's delivery report arrived.
 *
 * Broker outages (`BrokerOutage`, `--broker-patience-ms`): librdkafka reconnects by itself and waits forever; the
 * engine asks for the input topic's metadata every 2 s (and counts `ALL_BROKERS_DOWN` and transport errors when
 * librdkafka reports them; it often only logs them), and once the patience is spent fails the session with one line (exit 1; a restart resumes from the last
 * commit). Produced records wait in librdkafka's queue meanwhile (`message.timeout.ms` beyond the patience).
 */
class RdkafkaEngine implements Engine {
  readonly name = "rdkafka";
  readonly #config: ProcessorConfig;
  readonly #logger: Logger;
  #consumer: Consumer | null = null;
  #producer: RdProducer | null = null;
  readonly #offsets: GroupOffsets;
  #session: EngineSession | null = null;
  readonly #progress = new EngineProgress(
    () => this.#session,
    () => this.#offsets,
  );
  #loop: Promise<void> = Promise.resolve();
  /** True while `onRevoked` runs for a rebalance: commits are then synchronous. */
  #revoking = false;
  #stopping: Promise<void> | null = null;
  readonly #outage: BrokerOutage;
  #probe: ReturnType<typeof setInterval> | null = null;
  #probing = false;
  /** Deliveries not yet reported, so that a spent patience can fail them. */
  readonly #deliveries = new Set<Delivery>();

  constructor(config: ProcessorConfig, logger: Logger, metrics: RuntimeMetrics | undefined) {
    this.#config = config;
    this.#logger = logger;
    this.#outage = new BrokerOutage({
      patienceMs: config.brokerPatienceMs,
      logger,
      ...(metrics === undefined
        ? {}
        : { metrics: { unreachable: metrics.brokerUnreachable, reconnects: metrics.brokerReconnects } }),
      onExhausted: (error) => {
        this.#stopProbe();
        this.#session?.fail(error);
        // Deliveries waiting in librdkafka's queue would hold the in-flight batch (and so the stop) until
        // message.timeout.ms: they fail now, nothing is committed for them.
        for (const delivery of this.#deliveries) delivery.reject(error);
        this.#deliveries.clear();
      },
    });
    this.#offsets = new GroupOffsets(config.kafka, config.group, config.topics.input, logger);
  }

  async start(handlers: EngineHandlers): Promise<void> {
    if (this.#session !== null) throw new Error("rdkafka engine: start() was already called");
    const session = new EngineSession(handlers, this.#logger);
    this.#session = session;
    const { topics, group } = this.#config;
    await ensureProcessorTopics(this.#config.kafka, topics, this.#logger);
    const client = toLibrdkafkaConfig(this.#config.kafka);

    const producer = new Producer(
      {
        ...client,
        dr_cb: true,
        "enable.idempotence": true,
        "linger.ms": 5,
        "socket.keepalive.enable": true,
        // Records wait out an outage in the queue; the patience, not a delivery timeout, decides when to give up.
        "message.timeout.ms": this.#config.brokerPatienceMs + 60_000,
      } as ProducerGlobalConfig,
      { partitioner: "murmur2_random", "request.required.acks": -1 },
    );
    producer.on("delivery-report", (error, report) => {
      const pending = report.opaque as Delivery | undefined;
      if (pending === undefined) return;
      this.#deliveries.delete(pending);
      if (error) pending.reject(toError(error));
      else pending.resolve();
    });
    producer.on("event.log", librdkafkaLogListener(this.#logger, "producer"));
    producer.on("event.error", (error) => {
      if (isUnreachable(error)) this.#outage.unreachable(toError(error));
      else this.#logger.warn({ err: toError(error), client: "producer" }, "librdkafka error");
    });
    this.#producer = producer;

    const consumer = new KafkaConsumer(
      {
        ...toLibrdkafkaConsumerConfig(this.#config),
        "socket.keepalive.enable": true,
        // node-rdkafka's consume(n) waits up to the consume timeout for EACH message, so under a steady input slower
        // than n per timeout a call only returns once n messages arrived (6,000 at 5,000 events/s: 1.2 s of added
        // latency). With partition EOF events, a call that reached the end of a partition returns what it holds
        // after a 1 ms wait; under a backlog there is no EOF and batches stay full.
        "enable.partition.eof": true,
        offset_commit_cb: (error: LibrdKafkaError | undefined, offsets: TopicPartitionOffsetNumber[]) => {
          if (error && error.code !== E.ERR__NO_OFFSET) {
            this.#logger.warn(
              { err: toError(error), offsets },
              "asynchronous commit failed; a later commit carries newer offsets",
            );
          }
        },
        rebalance_cb: (error: LibrdKafkaError, assignment: Assignment[]) =>
          this.#onRebalance(session, error, assignment),
      } as ConsumerGlobalConfig,
      { "auto.offset.reset": "earliest" },
    );
    consumer.setDefaultConsumeTimeout(this.#config.maxWaitMs);
    consumer.on("event.log", librdkafkaLogListener(this.#logger, "consumer"));
    consumer.on("event.error", (error) => {
      const err = toError(error);
      if (error.isFatal === true) session.fail(err);
      else if (isUnreachable(error)) this.#outage.unreachable(err);
      else this.#logger.warn({ err, client: "consumer" }, "librdkafka error");
    });
    this.#consumer = consumer;

    await Promise.all([connect(producer), connect(consumer), this.#offsets.connect()]);
    producer.setPollInterval(50);
    this.#probe = setInterval(() => this.#probeBrokers(), OUTAGE_PROBE_MS);
    this.#probe.unref();
    consumer.subscribe([topics.input]);
    this.#loop = this.#consumeLoop(session, consumer);
    this.#logger.info(
      { group, topic: topics.input, librdkafka: rdkafka.librdkafkaVersion },
      "rdkafka engine started",
    );
  }

  #onRebalance(session: EngineSession, error: LibrdKafkaError, assignment: Assignment[]): void {
    const consumer = this.#consumer!;
    const partitions = assignment.map((a): TopicPartition => ({ topic: a.topic, partition: a.partition }));
    if (error.code === E.ERR__ASSIGN_PARTITIONS) {
      void session.rebalance(async () => {
        try {
          await session.assigned(partitions);
        } finally {
          consumer.assign(assignment);
        }
      });
    } else if (error.code === E.ERR__REVOKE_PARTITIONS) {
      void session.rebalance(async () => {
        this.#revoking = true;
        try {
          await session.revoked(partitions, { alreadyGone: false });
        } finally {
          this.#revoking = false;
          consumer.unassign();
        }
      });
    } else {
      this.#logger.error({ err: toError(error) }, "rebalance error; unassigning");
      void session.rebalance(async () => {
        await session.revoked(session.owned(), { alreadyGone: true });
        consumer.unassign();
      });
    }
  }

  async #consumeLoop(session: EngineSession, consumer: Consumer): Promise<void> {
    const batchSize = this.#config.batchSize;
    const deliverInChunks = async (batch: PartitionBatch) => {
      for (const records of chunk(batch.records, batchSize)) {
        if (!(await session.deliver({ topic: batch.topic, partition: batch.partition, records }))) return;
      }
    };
    while (session.state === "running") {
      // A consume call and the delivery of its messages form one unit: a rebalance waits for it.
      await session.batch(async () => {
        if (session.state !== "running") return;
        let messages: Message[];
        try {
          messages = await new Promise<Message[]>((resolve, reject) =>
            consumer.consume(batchSize * Math.max(1, session.owned().length), (error, batch) =>
              error ? reject(error) : resolve(batch),
            ),
          );
        } catch (error) {
          this.#logger.warn({ err: toError(error as LibrdKafkaError) }, "consume failed; retrying");
          await new Promise((resolve) => setTimeout(resolve, 200));
          return;
        }
        if (messages.length === 0) return;
        this.#outage.reachable();
        await Promise.all(toPartitionBatches(messages.map(toRecord)).map(deliverInChunks));
      });
    }
  }

  /** One metadata request at a time: its failure is an outage (or its continuation), its success ends one. */
  #probeBrokers(): void {
    const producer = this.#producer;
    if (producer === null || this.#probing) return;
    this.#probing = true;
    producer.getMetadata({ topic: this.#config.topics.input, timeout: OUTAGE_PROBE_MS - 500 }, (error) => {
      this.#probing = false;
      if (error) {
        if (!this.#outage.unreachable(toError(error))) this.#stopProbe();
        return;
      }
      this.#outage.reachable();
    });
  }

  #stopProbe(): void {
    if (this.#probe !== null) clearInterval(this.#probe);
    this.#probe = null;
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const session = this.#session;
    const consumer = this.#consumer;
    if (session === null || consumer === null || session.state === "stopped")
      throw new Error("rdkafka engine is not running");
    const owned = offsets.filter((o) => session.isOwned(o));
    if (owned.length < offsets.length) {
      this.#logger.debug(
        { skipped: offsets.filter((o) => !session.isOwned(o)).map(topicPartitionKey) },
        "commit of partitions not owned skipped",
      );
    }
    if (owned.length === 0) return;
    const list = owned.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset) }));
    consumer.offsetsStore(list);
    if (!this.#revoking && session.state === "running") {
      consumer.commit(list);
      return;
    }
    try {
      consumer.commitSync(list);
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === undefined || !REBALANCE_ERRORS.has(code)) throw error;
      this.#logger.warn(
        { err: error, offsets: owned.map(topicPartitionKey) },
        "commit refused while the group rebalances; the next owner replays from the last commit",
      );
    }
  }

  async produce(records: readonly ProducedRecord[]): Promise<void> {
    const producer = this.#producer;
    if (producer === null || this.#session?.state === "stopped")
      throw new Error("rdkafka engine is not running");
    const deliveries: Promise<void>[] = [];
    for (const record of records) {
      const delivery = deferred();
      this.#deliveries.add(delivery);
      deliveries.push(delivery.promise);
      const value =
        record.value === null
          ? null
          : Buffer.isBuffer(record.value)
            ? record.value
            : Buffer.from(record.value);
      const headers = record.headers === undefined ? undefined : toHeaderList(record.headers);
      for (;;) {
        try {
          producer.produce(record.topic, null, value, record.key, Date.now(), delivery, headers);
          break;
        } catch (error) {
          if ((error as { code?: number }).code !== E.ERR__QUEUE_FULL) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }
    await Promise.all(deliveries);
  }

  // Owned partitions, lag, caught up, partition count: the same for every client (EngineProgress).
  readonly assignment = () => this.#progress.assignment();
  readonly lag = () => this.#progress.lag();
  readonly caughtUp = () => this.#progress.caughtUp();
  readonly inputPartitionCount = () => this.#progress.inputPartitionCount();

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const session = this.#session;
    const consumer = this.#consumer;
    const producer = this.#producer;
    let failure: unknown = null;
    if (session !== null && consumer !== null) {
      const stopping = session.stop(async () => {
        // Inside the exclusive step, after onRevoked: leave the assignment before closing.
        try {
          consumer.unassign();
          consumer.unsubscribe();
        } catch (error) {
          this.#logger.debug({ err: error }, "unassign on stop failed");
        }
      });
      await stopping.catch((error: unknown) => (failure = error));
      await this.#loop;
    }
    const closing: Promise<void>[] = [this.#offsets.disconnect()];
    // After a spent patience the librdkafka clients are not closed: with no broker, closing blocks (its destroy waits
    // for its threads on the main thread, so even the exit timer could not fire); the process exits with its line.
    const abandon = this.#outage.exhausted;
    if (consumer !== null && !abandon) closing.push(disconnect(consumer));
    if (producer !== null && !abandon) {
      closing.push(
        flush(producer).finally(() => {
          producer.setPollInterval(0);
          return disconnect(producer);
        }),
      );
    }
    this.#stopProbe();
    // After the patience was spent no broker answers: closing is not waited for beyond a bound (librdkafka's close
    // would wait for the group), so the process exits with its line.
    const settled = Promise.allSettled(closing);
    const results = this.#outage.exhausted
      ? await Promise.race([
          settled,
          new Promise<[]>((resolve) => setTimeout(() => resolve([]), REQUEST_TIMEOUT_MS).unref()),
        ])
      : await settled;
    this.#outage.close();
    session?.markStopped();
    this.#logger.info({}, "rdkafka engine stopped");
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure !== null) throw failure;
    if (rejected !== undefined) throw rejected.reason;
  }
}

interface TopicPartitionOffsetNumber {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

interface Delivery {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

function deferred(): Delivery {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function connect(client: Consumer | RdProducer): Promise<void> {
  return new Promise((resolve, reject) =>
    client.connect({ timeout: REQUEST_TIMEOUT_MS }, (error) => (error ? reject(toError(error)) : resolve())),
  );
}

function disconnect(client: Consumer | RdProducer): Promise<void> {
  return new Promise((resolve, reject) =>
    client.disconnect((error: unknown) => (error ? reject(error as Error) : resolve())),
  );
}

function flush(producer: RdProducer): Promise<void> {
  return new Promise((resolve, reject) =>
    producer.flush(REQUEST_TIMEOUT_MS, (error) => (error ? reject(toError(error)) : resolve())),
  );
}
