/**
 * Engine conformance suite: registers vitest tests that check an `Engine` against a real broker.
 * Both processor apps run it from their `test/` folder:
 *
 *   describeEngineConformance("rdkafka", { createEngine: (config, logger) => createRdkafkaEngine(config, { logger }) });
 *
 * Brokers come from KAFKA_BROKERS (default: the local stack's port, GAMETEL_KAFKA_PORT or 9092). Every test uses its own topics and group, and
 * deletes them afterwards.
 */
import { Kafka, Partitioners, type Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProcessorLogger } from "../config/logging.js";
import { parseProcessorArgs } from "../config/parse.js";
import type { ProcessorConfig } from "../config/ProcessorConfig.js";
import type { Logger } from "../ops/Logger.js";
import type { Engine } from "../engine/Engine.js";
import { Recorder, positions, uniqueName, waitFor } from "./engineConformanceKit.js";
import { partitionForKey } from "../engine/murmur2.js";
import { testBrokers, testMongoUri } from "./stackAddress.js";

export interface EngineConformanceOptions {
  readonly createEngine: (config: ProcessorConfig, logger: Logger) => Engine;
  /** Bootstrap brokers; default KAFKA_BROKERS or the local stack's. */
  readonly brokers?: readonly string[];
}

const PARTITIONS = 4;

export function describeEngineConformance(engineName: string, options: EngineConformanceOptions): void {
  describe(`engine conformance: ${engineName}`, () => {
    const BROKERS = [...(options.brokers ?? testBrokers())];
    const logger = createProcessorLogger({
      level: (process.env["GAMETEL_TEST_LOG_LEVEL"] as "silent" | undefined) ?? "silent",
      bindings: { engine: engineName, test: "conformance" },
    });
    const kafka = new Kafka({ clientId: "gametel-conformance", brokers: BROKERS, logLevel: 0 });
    let admin: Admin;
    const topics: string[] = [];
    const groups: string[] = [];
    const running: Engine[] = [];

    /** A configuration with fresh topics and group. */
    function setup(label: string) {
      const group = uniqueName(`conf-${engineName}-${label}`);
      const input = uniqueName(`conf-${engineName}-${label}`);
      topics.push(input, `${input}.dlq`, `${input}.out`);
      groups.push(group);
      const outcome = parseProcessorArgs(
        [
          ...["--brokers", BROKERS.join(","), "--mongo-uri", testMongoUri(), "--group", group],
          ...["--input-topic", input, "--dlq-topic", `${input}.dlq`, "--output-topic", `${input}.out`],
          ...[
            "--partitions",
            String(PARTITIONS),
            "--batch-size",
            "25",
            "--max-wait-ms",
            "100",
            "--metrics-port",
            "0",
          ],
        ],
        {},
      );
      if (outcome.kind !== "config") throw new Error(`conformance config: ${JSON.stringify(outcome)}`);
      return outcome.config;
    }

    async function startEngine(config: ProcessorConfig, recorder: Recorder): Promise<Engine> {
      const engine = options.createEngine(config, logger);
      running.push(engine);
      await engine.start(recorder.attach(engine));
      return engine;
    }

    async function stopEngine(engine: Engine): Promise<void> {
      await engine.stop();
      running.splice(running.indexOf(engine), 1);
    }

    const keyed = (topic: string, from: number, count: number, keys: number) =>
      Array.from({ length: count }, (_, i) => ({
        topic,
        key: `player-${(from + i) % keys}`,
        value: JSON.stringify({ seq: from + i }),
      }));

    beforeAll(async () => {
      admin = kafka.admin();
      await admin.connect();
    });

    afterAll(async () => {
      await Promise.allSettled(running.map((e) => e.stop()));
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.disconnect();
    });

    it("creates its topics, the output one compacted", async () => {
      const config = setup("topics");
      const recorder = new Recorder({ commit: true });
      const engine = await startEngine(config, recorder);
      const { topics: meta } = await admin.fetchTopicMetadata({
        topics: [config.topics.input, config.topics.dlq, config.topics.output],
      });
      expect(meta.map((t) => t.partitions.length)).toEqual([PARTITIONS, PARTITIONS, PARTITIONS]);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: config.topics.output, configNames: ["cleanup.policy"] }],
      });
      expect(resources[0]?.configEntries.find((e) => e.configName === "cleanup.policy")?.configValue).toBe(
        "compact",
      );
      await stopEngine(engine);
    });

    it("produces keys onto the partition Java's murmur2 picks, as kafkajs' DefaultPartitioner does, and delivers each record once, in order, per partition", async () => {
      const config = setup("deliver");
      const recorder = new Recorder({ commit: true });
      const engine = await startEngine(config, recorder);
      await waitFor("the first assignment", () => recorder.assignedEvents.length > 0);

      const fromEngine = keyed(config.topics.input, 0, 120, 30);
      await engine.produce(fromEngine);
      const reference = kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await reference.connect();
      await reference.send({
        topic: config.topics.input,
        acks: -1,
        messages: keyed(config.topics.input, 1000, 30, 30),
      });
      await reference.disconnect();

      await waitFor("all 150 records", () => recorder.records.length >= 150);
      await waitFor("caughtUp()", () => engine.caughtUp());
      expect(recorder.violations).toEqual([]);
      expect(recorder.errors).toEqual([]);
      expect(recorder.records).toHaveLength(150);
      expect(new Set(positions(recorder.records)).size).toBe(150);
      for (const r of recorder.records) {
        expect(r.partition, `key ${r.key?.toString()}`).toBe(partitionForKey(r.key!, PARTITIONS));
      }
      // Offsets of each partition are 0..n-1, delivered in order; a key's records keep their produce order.
      for (let p = 0; p < PARTITIONS; p++) {
        const offsets = recorder.records.filter((r) => r.partition === p).map((r) => Number(r.offset));
        expect(offsets).toEqual(offsets.map((_, i) => i));
      }
      const seqByKey = new Map<string, number[]>();
      for (const r of recorder.records) {
        const seqs = seqByKey.get(r.key!.toString()) ?? [];
        seqs.push((JSON.parse(r.value!.toString()) as { seq: number }).seq);
        seqByKey.set(r.key!.toString(), seqs);
      }
      for (const seqs of seqByKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(
        recorder.batches.every((b) => b.records.length >= 1 && b.records.length <= config.batchSize),
      ).toBe(true);
      expect(recorder.owned()).toEqual([0, 1, 2, 3]);
      expect((await engine.lag()).size).toBe(PARTITIONS);
      expect([...(await engine.lag()).values()].every((lag) => lag === 0n)).toBe(true);

      await stopEngine(engine);
      expect(
        recorder.revokedEvents
          .flat()
          .map((tp) => tp.partition)
          .sort(),
      ).toEqual([0, 1, 2, 3]);
    });

    it("resumes after the committed offset and redelivers what was not committed", async () => {
      const config = setup("resume");
      const first = new Recorder({ commit: true });
      const e1 = await startEngine(config, first);
      await e1.produce(keyed(config.topics.input, 0, 40, 10));
      await waitFor("40 records, committed", async () => first.records.length >= 40 && (await e1.caughtUp()));
      await stopEngine(e1);

      const second = new Recorder({ commit: false });
      const e2 = await startEngine(config, second);
      await e2.produce(keyed(config.topics.input, 40, 20, 10));
      await waitFor("the 20 new records", () => second.records.length >= 20);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await e2.caughtUp()).toBe(false);
      await stopEngine(e2);

      const third = new Recorder({ commit: true });
      const e3 = await startEngine(config, third);
      await waitFor(
        "the uncommitted records again",
        async () => third.records.length >= 20 && (await e3.caughtUp()),
      );
      await stopEngine(e3);

      for (const r of [first, second, third]) {
        expect(r.violations).toEqual([]);
        expect(r.errors).toEqual([]);
      }
      expect(first.records).toHaveLength(40);
      expect(second.records).toHaveLength(20);
      const committedBefore = new Set(positions(first.records));
      expect(positions(second.records).filter((p) => committedBefore.has(p))).toEqual([]);
      expect(positions(third.records).sort()).toEqual(positions(second.records).sort());
    });

    it("reports a failing handler once through onError, then delivers nothing and does not commit the failed batch", async () => {
      const config = setup("fail");
      const failing = new Recorder({ commit: true, failFirstBatch: true });
      const e1 = await startEngine(config, failing);
      await e1.produce(keyed(config.topics.input, 0, 10, 5));
      await waitFor("onError", () => failing.errors.length > 0);
      await new Promise((r) => setTimeout(r, 500));
      await stopEngine(e1);
      expect(failing.errors.map((e) => e.message)).toEqual(["first batch rejected on purpose"]);
      expect(failing.violations).toEqual([]);
      expect(failing.revokedEvents).toEqual([]);
      expect(failing.rejected).not.toBeNull();

      // Batches of other partitions may have been in flight (and committed) when the first one failed.
      const healthy = new Recorder({ commit: true });
      const e2 = await startEngine(config, healthy);
      await waitFor(
        "the rest of the 10 records",
        async () => (await e2.caughtUp()) && healthy.records.length > 0,
      );
      await stopEngine(e2);
      expect(healthy.violations).toEqual([]);
      const all = new Set([...positions(failing.records), ...positions(healthy.records)]);
      expect(all.size).toBe(10);
      const redelivered = new Set(positions(healthy.records));
      expect(positions(failing.rejected!.records).every((p) => redelivered.has(p))).toBe(true);
    });

    it("rebalances two members of one group: onRevoked/onAssigned run, partitions are never shared, every record is processed", async () => {
      const config = setup("rebalance");
      const m1 = new Recorder({ commit: true, delayMs: 20 });
      const e1 = await startEngine(config, m1);
      await e1.produce(keyed(config.topics.input, 0, 200, 40));
      await waitFor("member 1 at work", () => m1.records.length >= 20);

      const m2 = new Recorder({ commit: true, delayMs: 20 });
      const e2 = await startEngine(config, m2);
      await waitFor("member 2's assignment", () => m2.owned().length > 0 && m1.revokedEvents.length > 0);
      await e2.produce(keyed(config.topics.input, 200, 100, 40));
      await waitFor("the group caught up", async () => (await e1.caughtUp()) && (await e2.caughtUp()));

      for (const m of [m1, m2]) {
        expect(m.violations).toEqual([]);
        expect(m.errors).toEqual([]);
      }
      const owned1 = m1.owned();
      const owned2 = m2.owned();
      expect([...owned1, ...owned2].sort()).toEqual([0, 1, 2, 3]);
      expect(owned1.filter((p) => owned2.includes(p))).toEqual([]);
      expect(m2.assignedEvents.length).toBeGreaterThan(0);
      const processed = new Set([...positions(m1.records), ...positions(m2.records)]);
      expect(processed.size).toBe(300);

      await stopEngine(e2);
      await stopEngine(e1);
    });
  });
}
