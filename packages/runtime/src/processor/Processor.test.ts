import { describe, expect, it } from "vitest";
import type {
  Engine,
  EngineHandlers,
  PartitionBatch,
  ProducedRecord,
  TopicPartitionOffset,
} from "../engine/Engine.js";
import { partitionForKey } from "../engine/murmur2.js";
import { silentLogger } from "../ops/Logger.js";
import { createMetrics, metricTotal } from "../ops/Metrics.js";
import { InMemoryTaskStore } from "../store/InMemoryTaskStore.js";
import { DeadLetterHeaders } from "./DeadLetter.js";
import { sumModel } from "../testing/sumModel.js";
import { createProcessor } from "./Processor.js";

/**
 * Unit tests of the loop's lifecycle over a scripted engine (the handler contract only; the Kafka engines are
 * tested against the broker in the apps).
 */
class ScriptedEngine implements Engine {
  readonly name = "scripted";
  handlers: EngineHandlers | undefined;
  readonly commits: TopicPartitionOffset[] = [];
  readonly produced: ProducedRecord[] = [];
  caughtUpAfter = Number.POSITIVE_INFINITY;
  stopped = 0;
  revokedOnStop = true;
  private owned: number[] = [];

  start(handlers: EngineHandlers) {
    this.handlers = handlers;
    return Promise.resolve();
  }
  async assign(partitions: number[]) {
    this.owned = partitions;
    await this.handlers?.onAssigned(partitions.map((partition) => ({ topic: "in", partition })));
  }
  commit(offsets: readonly TopicPartitionOffset[]) {
    this.commits.push(...offsets);
    return Promise.resolve();
  }
  produce(records: readonly ProducedRecord[]) {
    this.produced.push(...records);
    return Promise.resolve();
  }
  assignment() {
    return this.owned.map((partition) => ({ topic: "in", partition }));
  }
  lag() {
    return Promise.resolve(new Map([["in:0", 5n]]));
  }
  caughtUp() {
    return Promise.resolve(this.commits.length >= this.caughtUpAfter);
  }
  partitionCount = 1;
  inputPartitionCount() {
    return Promise.resolve(this.partitionCount);
  }
  async stop() {
    this.stopped += 1;
    if (this.revokedOnStop) await this.handlers?.onRevoked(this.assignment());
  }
}

const batch = (partition: number, from: number, events: object[]): PartitionBatch => ({
  topic: "in",
  partition,
  records: events.map((e, i) => ({
    topic: "in",
    partition,
    offset: BigInt(from + i),
    key: null,
    value: Buffer.from(JSON.stringify(e)),
    timestamp: 0,
    headers: {},
  })),
});

const setup = (exitWhenCaughtUp: boolean, writeAttempts = 2, commitIntervalMs = 0) => {
  const engine = new ScriptedEngine();
  const store = new InMemoryTaskStore();
  const metrics = createMetrics({ defaultMetrics: false });
  const processor = createProcessor({
    config: {
      inputTopic: "in",
      dlqTopic: "dlq",
      outputTopic: "out",
      exitWhenCaughtUp,
      pollIntervalMs: 10,
      writeAttempts,
      commitIntervalMs,
      // The sum model's event times are small numbers.
      eventTimeBounds: { floorMs: Number.MIN_SAFE_INTEGER },
    },
    engine,
    model: sumModel(0),
    store,
    logger: silentLogger,
    metrics,
  });
  return { engine, store, metrics, processor };
};

describe("createProcessor", () => {
  it("refuses a configuration whose topics collide, with one clear message", () => {
    expect(() =>
      createProcessor({
        config: { inputTopic: "x", dlqTopic: "x" },
        engine: new ScriptedEngine(),
        model: sumModel(0),
        store: new InMemoryTaskStore(),
        logger: silentLogger,
      }),
    ).toThrow(/topics must differ/);
  });

  it("processes batches, commits after the write, counts in metrics, and stops once caught up", async () => {
    const { engine, store, metrics, processor } = setup(true);
    engine.caughtUpAfter = 2;
    await processor.start();
    await engine.assign([0]);
    expect(processor.ready()).toBe(true);
    await engine.handlers!.onBatch(
      batch(0, 0, [
        { id: "a", key: "p1", t: 1, v: 2 },
        { id: "a", key: "p1", t: 1, v: 2 },
      ]),
    );
    await engine.handlers!.onBatch(batch(0, 2, [{ id: "b", key: "p1", t: 2, v: 3 }]));
    await processor.done;
    expect(engine.commits.map((c) => c.offset)).toEqual([2n, 3n]);
    expect(store.collection("players").get("p1")?.fields).toMatchObject({ sum: 5, count: 2 });
    expect(engine.stopped).toBe(1);
    expect(processor.totals).toMatchObject({ batches: 2, records: 3, valid: 2, duplicates: 1 });
    expect(await metricTotal(metrics.recordsConsumed)).toBe(3);
    expect(await metricTotal(metrics.recordsDuplicate)).toBe(1);
    expect(processor.ready()).toBe(false);
  });

  it("with a commit interval, batches fold in memory; the interval's clock, then stop, write and commit them", async () => {
    const { engine, store, metrics, processor } = setup(false, 2, 60);
    engine.revokedOnStop = true;
    await processor.start();
    await engine.assign([0]);
    await engine.handlers!.onBatch(batch(0, 0, [{ id: "a", key: "p1", t: 1, v: 2 }]));
    await engine.handlers!.onBatch(batch(0, 1, [{ id: "b", key: "p1", t: 2, v: 3 }]));
    // Nothing written or committed yet: the interval has not elapsed.
    expect(store.collection("players").get("p1")).toBeUndefined();
    expect(engine.commits).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(store.collection("players").get("p1")?.fields).toMatchObject({ sum: 5, count: 2 });
    expect(engine.commits.map((c) => [c.partition, c.offset])).toEqual([[0, 2n]]);
    await engine.handlers!.onBatch(batch(0, 2, [{ id: "c", key: "p2", t: 3, v: 7 }]));
    await processor.stop();
    expect(store.collection("players").get("p2")?.fields).toMatchObject({ sum: 7, count: 1 });
    expect(engine.commits.map((c) => [c.partition, c.offset])).toEqual([
      [0, 2n],
      [0, 3n],
    ]);
    expect(await metricTotal(metrics.commits)).toBe(2);
  });

  it("refuses mis-partitioned and out-of-range events before any state, counting each in metrics", async () => {
    const { engine, store, metrics, processor } = setup(false);
    engine.partitionCount = 4;
    await processor.start();
    const home = partitionForKey("p1", 4);
    const away = (home + 1) % 4;
    await engine.assign([home, away]);
    await engine.handlers!.onBatch(batch(home, 0, [{ id: "a", key: "p1", t: 1, v: 2 }]));
    await engine.handlers!.onBatch(batch(away, 0, [{ id: "b", key: "p1", t: 2, v: 100 }]));
    expect(store.collection("players").get("p1")?.fields).toMatchObject({ sum: 2, count: 1 });
    const dead = engine.produced.filter((r) => r.topic === "dlq");
    expect(dead).toHaveLength(1);
    expect(String(dead[0]?.headers?.[DeadLetterHeaders.reason])).toBe(
      `wrong partition: partition key "p1" belongs to partition ${home} of 4 (murmur2), the record is on partition ${away}; produce keyed by the partition key with a murmur2 partitioner (librdkafka: partitioner=murmur2_random; Java and kafkajs: the default partitioner)`,
    );
    expect(processor.totals).toMatchObject({ valid: 1, deadLettered: 1, misPartitioned: 1 });
    expect(await metricTotal(metrics.recordsMisPartitioned)).toBe(1);
    await processor.stop();
  });

  it("dead-letters events before the floor or too far ahead of the processing time", async () => {
    const engine = new ScriptedEngine();
    const store = new InMemoryTaskStore();
    const metrics = createMetrics({ defaultMetrics: false });
    const processor = createProcessor({
      config: {
        inputTopic: "in",
        dlqTopic: "dlq",
        commitIntervalMs: 0,
        eventTimeBounds: { floorMs: 100, maxFutureMs: 50 },
      },
      engine,
      model: sumModel(0),
      store,
      logger: silentLogger,
      metrics,
      now: () => 1_000,
    });
    await processor.start();
    await engine.assign([0]);
    await engine.handlers!.onBatch(
      batch(0, 0, [
        { id: "floor", key: "p1", t: 99, v: 1 },
        { id: "ok-low", key: "p1", t: 100, v: 2 },
        { id: "ok-high", key: "p1", t: 1_050, v: 4 },
        { id: "future", key: "p1", t: 1_051, v: 8 },
      ]),
    );
    expect(store.collection("players").get("p1")?.fields).toMatchObject({ sum: 6, count: 2 });
    const reasons = engine.produced
      .filter((r) => r.topic === "dlq")
      .map((r) => String(r.headers?.[DeadLetterHeaders.reason]));
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/^event_time out of range: .* is before the floor/);
    expect(reasons[1]).toMatch(
      /^event_time out of range: .* is more than 50 ms ahead of the processing time \(--max-future-ms\)$/,
    );
    expect(await metricTotal(metrics.recordsEventTimeOutOfRange)).toBe(2);
    await processor.stop();
  });

  it("without --exit-when-caught-up runs until stop(), which waits for the engine", async () => {
    const { engine, processor } = setup(false);
    engine.caughtUpAfter = 0;
    await processor.start();
    await engine.assign([0]);
    await engine.handlers!.onBatch(batch(0, 0, [{ id: "a", key: "p1", t: 1, v: 1 }]));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(engine.stopped).toBe(0);
    await processor.stop();
    await processor.done;
    expect(engine.stopped).toBe(1);
  });

  it("onError stops the engine and rejects `done`", async () => {
    const { engine, processor } = setup(false);
    await processor.start();
    engine.handlers!.onError(new Error("broker gone"));
    await expect(processor.done).rejects.toThrow("broker gone");
    expect(processor.healthy()).toBe(false);
    expect(engine.stopped).toBe(1);
  });

  it("a failed write rejects the batch and drops the partition's cache (MongoDB stays the truth)", async () => {
    const { engine, store, processor } = setup(false, 1);
    await processor.start();
    await engine.assign([0]);
    await engine.handlers!.onBatch(batch(0, 0, [{ id: "a", key: "p1", t: 1, v: 1 }]));
    const original = store.writeKeys.bind(store);
    store.writeKeys = () => Promise.reject(new Error("write failed"));
    await expect(engine.handlers!.onBatch(batch(0, 1, [{ id: "b", key: "p1", t: 2, v: 1 }]))).rejects.toThrow(
      "write failed",
    );
    store.writeKeys = original;
    // Redelivered from the last commit: applied once.
    await engine.handlers!.onBatch(batch(0, 1, [{ id: "b", key: "p1", t: 2, v: 1 }]));
    expect(store.keys.get("p1")).toMatchObject({ events: 2, offset: 1n });
    expect(store.collection("players").get("p1")?.fields).toMatchObject({ sum: 2, count: 2 });
    await processor.stop();
  });
});
