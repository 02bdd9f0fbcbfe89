// The shipped Kafka Connect configurations (connect/*.properties, connect/*.json) run by a real Kafka Connect
// standalone worker with the official MongoDB connector, both resolved from Maven Central, against the
// local stack. Needs java and mvn on PATH (the local stack needs them too).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeEvent, partitionKey } from "@gametel/core";
import { freePort, kafkaBrokers } from "@gametel/devstack";
import * as connect from "@gametel/devstack/connect";
import { Partitioners } from "kafkajs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createTopics,
  deleteTopics,
  delay,
  directMongoUri,
  expectedPartition,
  insertInBatches,
  kafka,
  makeEvents,
  startConsumer,
  uniqueName,
  withMongo,
} from "./support.js";

const MONGO_CONNECTOR = "org.mongodb.kafka:mongo-kafka-connect:2.0.1:jar:all";

describe("connect/ configuration files", () => {
  test.each(["mongodb-source", "mongodb-sink"])("%s.properties and %s.json say the same", (base) => {
    const props = connect.readProperties(join(connect.connectDir, `${base}.properties`));
    const json = connect.readConnectorJson(join(connect.connectDir, `${base}.json`));
    const { name, ...config } = props;
    expect(json.name).toBe(name);
    expect(json.config).toEqual(config);
  });

  test("the source pipeline keys records exactly as partitionKey does, for every scope", () => {
    const props = connect.readProperties(join(connect.connectDir, "mongodb-source.properties"));
    const pipeline = JSON.parse(props.pipeline ?? "[]") as unknown[];
    expect(pipeline[0]).toEqual({ $match: { operationType: "insert" } });
    expect(JSON.stringify(pipeline)).toContain('"gametel_key"');
    expect(props["transforms.partitionKey.field"]).toBe("gametel_key");
  });
});

describe("Kafka Connect standalone with the official MongoDB connector (local stack)", () => {
  const id = uniqueName("connect");
  const db = id;
  const eventsTopic = `${id}.events`;
  const statsTopic = `${id}.stats`;
  const defaultKeyTopic = `${id}.default-key`;
  const workDir = join(connect.connectCacheDir, "runs", id);
  const pluginsDir = join(connect.connectCacheDir, "plugins");
  let worker: connect.ConnectWorker | null = null;
  const log = () => worker?.log() ?? "";
  const before = makeEvents(30);
  const after = makeEvents(10, 30);

  beforeAll(async () => {
    mkdirSync(workDir, { recursive: true });
    await connect.ensureConnectRuntime();
    const pluginDir = join(pluginsDir, "mongo-kafka-connect");
    await connect.ensureConnectorPlugin(MONGO_CONNECTOR, pluginDir, "mongo-kafka-connect-2.0.1-all.jar");
    await createTopics([
      { topic: eventsTopic, partitions: 3 },
      { topic: statsTopic, partitions: 2 },
      { topic: defaultKeyTopic, partitions: 3 },
    ]);
    await withMongo(async (c) => {
      await insertInBatches(c, db, before, 10, 0);
      await c
        .db(db)
        .collection<{ _id: string; _state?: string; kills: number }>("player_stats")
        .insertMany([
          { _id: "test-game:p-1", _state: "processor-private", kills: 0 },
          { _id: "test-game:p-3", kills: 9 },
        ]);
    });

    const worker_ = connect.readProperties(join(connect.connectDir, "worker-standalone.properties"));
    connect.writeProperties(join(workDir, "worker.properties"), {
      ...worker_,
      "bootstrap.servers": kafkaBrokers().join(","),
      "offset.storage.file.filename": join(workDir, "connect.offsets"),
      "offset.flush.interval.ms": "1000",
      "plugin.path": pluginsDir,
      "plugin.discovery": "only_scan",
      listeners: `http://127.0.0.1:${await freePort()}`,
    });

    const source = connect.readProperties(join(connect.connectDir, "mongodb-source.properties"));
    const pipeline = JSON.parse(source.pipeline ?? "[]") as unknown[];
    // mongo-java-server's change events have no `ns` field, which the connector's topic mapping reads.
    // Real MongoDB sends it; here the test adds it. Every other setting is the shipped file's.
    pipeline.push({ $addFields: { ns: { db, coll: source.collection } } });
    connect.writeProperties(join(workDir, "source.properties"), {
      ...source,
      name: `${source.name}-${id}`,
      "connection.uri": directMongoUri(),
      database: db,
      pipeline: JSON.stringify(pipeline),
      "topic.namespace.map": JSON.stringify({ [`${db}.${source.collection}`]: eventsTopic }),
      "startup.mode": "copy_existing",
    });

    // The same source without the key settings, to show what the connector's default key is.
    const defaultKey = Object.fromEntries(
      Object.entries(source).filter(
        ([k]) =>
          !k.startsWith("transforms") &&
          !k.startsWith("output.format.key") &&
          !k.startsWith("output.schema.key"),
      ),
    );
    connect.writeProperties(join(workDir, "source-default-key.properties"), {
      ...defaultKey,
      name: `${source.name}-default-key-${id}`,
      "connection.uri": directMongoUri(),
      database: db,
      pipeline: JSON.stringify(pipeline),
      "topic.namespace.map": JSON.stringify({ [`${db}.${source.collection}`]: defaultKeyTopic }),
      "startup.mode": "copy_existing",
    });

    const sink = connect.readConnectorJson(join(connect.connectDir, "mongodb-sink.json"));
    writeFileSync(
      join(workDir, "sink.json"),
      JSON.stringify({
        name: `${sink.name}-${id}`,
        config: { ...sink.config, "connection.uri": directMongoUri(), database: db, topics: statsTopic },
      }),
    );

    worker = connect.startConnectWorker({
      workDir,
      files: ["source.properties", "source-default-key.properties", "sink.json"],
    });
  }, 240_000);

  afterAll(async () => {
    await worker?.stop();
    writeFileSync(join(connect.connectCacheDir, "last-run.log"), log());
    await deleteTopics([eventsTopic, statsTopic, defaultKeyTopic]).catch(() => undefined);
    await withMongo((c) => c.db(db).dropDatabase()).catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  async function waitForLog(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!log().includes(text)) {
      if (worker?.child.exitCode !== null) throw new Error(`Kafka Connect exited:\n${log().slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${log().slice(-4000)}`);
      await delay(200);
    }
  }

  test("source: copy_existing then streamed inserts reach the events topic keyed by partitionKey", async () => {
    const consumer = await startConsumer([eventsTopic]);
    try {
      await consumer.waitFor((r) => r.length >= before.length, 120_000);
      await waitForLog("Watching for collection changes", 30_000);
      await withMongo((c) => insertInBatches(c, db, after, 5, 0));
      const all = [...before, ...after];
      await consumer.waitFor((r) => r.length >= all.length, 60_000);

      const ids = new Set<string>();
      for (const record of consumer.records) {
        const decoded = decodeEvent(record.value);
        if (!decoded.ok)
          throw new Error(
            `connector value does not decode: ${JSON.stringify(decoded.error)}: ${record.value}`,
          );
        expect(record.key).toBe(partitionKey(decoded.event));
        expect(record.partition).toBe(expectedPartition(eventsTopic, partitionKey(decoded.event), 3));
        ids.add(decoded.event.event_id);
      }
      expect(ids).toEqual(new Set(all.map((d) => d.event_id as string)));
    } finally {
      await consumer.stop();
    }
  }, 240_000);

  test("without the key settings the connector keys by the document _id: one key per record, not partitionKey", async () => {
    const consumer = await startConsumer([defaultKeyTopic]);
    try {
      await consumer.waitFor((r) => r.length >= before.length, 120_000);
      const keys = consumer.records.map((r) => r.key);
      expect(new Set(keys).size).toBe(consumer.records.length);
      for (const record of consumer.records) {
        const decoded = decodeEvent(record.value);
        if (!decoded.ok) throw new Error(JSON.stringify(decoded.error));
        expect(record.key).not.toBe(partitionKey(decoded.event));
        expect(Object.keys(JSON.parse(record.key ?? "{}") as object)).toEqual(["_id"]);
      }
    } finally {
      await consumer.stop();
    }
  }, 240_000);

  test("sink: player.stats records upsert player_stats by key, keep other fields, delete on tombstone", async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({
        topic: statsTopic,
        messages: [
          {
            key: "test-game:p-1",
            value: JSON.stringify({
              game_id: "test-game",
              player_id: "p-1",
              kills: 3,
              deaths: 1,
              kd_ratio: 3,
            }),
          },
          {
            key: "test-game:p-2",
            value: JSON.stringify({
              game_id: "test-game",
              player_id: "p-2",
              kills: 1,
              deaths: 0,
              kd_ratio: 1,
            }),
          },
          {
            key: "test-game:p-1",
            value: JSON.stringify({
              game_id: "test-game",
              player_id: "p-1",
              kills: 4,
              deaths: 1,
              kd_ratio: 4,
            }),
          },
          { key: "test-game:p-3", value: null },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      const docs = await withMongo((c) =>
        c
          .db(db)
          .collection<{ _id: string; kills?: number }>("player_stats")
          .find({})
          .sort({ _id: 1 })
          .toArray(),
      );
      const done = docs.length === 2 && docs[0]?.kills === 4 && docs[1]?._id === "test-game:p-2";
      if (done) {
        expect(docs).toEqual([
          {
            _id: "test-game:p-1",
            _state: "processor-private",
            kills: 4,
            game_id: "test-game",
            player_id: "p-1",
            deaths: 1,
            kd_ratio: 4,
          },
          { _id: "test-game:p-2", game_id: "test-game", player_id: "p-2", kills: 1, deaths: 0, kd_ratio: 1 },
        ]);
        return;
      }
      if (Date.now() > deadline)
        throw new Error(`player_stats not as expected: ${JSON.stringify(docs)}\n${log().slice(-3000)}`);
      await delay(500);
    }
  }, 120_000);
});
