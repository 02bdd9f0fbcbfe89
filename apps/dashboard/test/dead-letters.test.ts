import { kafkaBrokers, mongoUri, uniqueName } from "@gametel/devstack";
import { DeadLetterHeaders } from "@gametel/runtime";
import { createTopic, deleteTopics } from "@gametel/runtime/testing";
import { Kafka, logLevel } from "kafkajs";
import type { Producer } from "kafkajs";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeadLetterCount, HealthView } from "../src/server/index.js";
import { readDeadLetters } from "../src/server/index.js";
import type { DeadLetterSource } from "../src/server/index.js";
import { serveDashboard } from "./support/server.js";
import type { RunningDashboard } from "./support/server.js";

/**
 * The pipeline page counts distinct dead letters: a dead letter re-sent by a replay after a crash (same source
 * topic, partition and offset headers) counts once, read from a real dead-letter topic on the local broker.
 */

const brokers = kafkaBrokers();
const topic = uniqueName("dash-dlq");
const missing = uniqueName("dash-dlq-missing");
const kafka = new Kafka({ clientId: "dead-letters-test", brokers, logLevel: logLevel.NOTHING });
let producer: Producer;
let mongo: MongoClient;
let source: DeadLetterSource;
let server: RunningDashboard;

beforeAll(async () => {
  await createTopic(brokers, topic, 2);
  producer = kafka.producer();
  await producer.connect();
  mongo = await MongoClient.connect(mongoUri());
  source = readDeadLetters({ brokers, topics: [topic], retryMs: 1_000 });
  server = await serveDashboard(
    mongo.db(uniqueName("dash-dlq-db")),
    { livePollMs: 300 },
    { deadLetters: source },
  );
}, 60_000);

afterAll(async () => {
  await server?.close();
  await source?.close();
  await producer?.disconnect();
  await mongo?.close();
  await deleteTopics(brokers, [topic]).catch(() => undefined);
});

/** A dead letter as a processor writes it: the bad record's bytes and where it came from. */
const deadLetter = (partition: number, offset: number, sourcePartition = offset % 2) => ({
  topic,
  messages: [
    {
      key: `player-${offset}`,
      value: `{"broken": ${offset}`,
      partition,
      headers: {
        [DeadLetterHeaders.reason]: "invalid JSON",
        [DeadLetterHeaders.path]: "",
        [DeadLetterHeaders.sourceTopic]: "telemetry",
        [DeadLetterHeaders.sourcePartition]: String(sourcePartition),
        [DeadLetterHeaders.sourceOffset]: String(offset),
        [DeadLetterHeaders.sourceTimestamp]: "1767225600000",
      },
    },
  ],
});

async function pageCount(records: number): Promise<DeadLetterCount> {
  let last: DeadLetterCount | null = null;
  await expect
    .poll(
      async () => {
        const response = await fetch(`${server.url}/api/views/health`, {
          signal: AbortSignal.timeout(5_000),
        });
        last = ((await response.json()) as { data: HealthView }).data.deadLetters;
        return last?.records;
      },
      { timeout: 30_000, interval: 300 },
    )
    .toBe(records);
  return last!;
}

describe("distinct dead letters on the pipeline page", () => {
  it("the same dead letter produced twice counts once; records still show every send", async () => {
    await producer.send(deadLetter(0, 10));
    await producer.send(deadLetter(1, 11));
    await producer.send(deadLetter(0, 10)); // the replay after a crash re-sends the first one
    await producer.send(deadLetter(1, 12));
    expect(await pageCount(4)).toEqual({
      topics: [topic],
      records: 4,
      distinct: 3,
      capped: false,
      error: null,
    });

    // Same offset, other source partition: another bad record.
    await producer.send(deadLetter(0, 10, 1));
    await producer.send(deadLetter(1, 11));
    expect(await pageCount(6)).toMatchObject({ records: 6, distinct: 4 });
  });

  it("a dead-letter topic that does not exist is an error on the page, and is not created", async () => {
    const reader = readDeadLetters({ brokers, topics: [missing], retryMs: 60_000 });
    try {
      await expect
        .poll(() => reader.snapshot().error, { timeout: 30_000 })
        .toBe(`the dead-letter topic ${missing} does not exist (yet); reading again in 60 s`);
      expect(reader.snapshot()).toMatchObject({ records: 0, distinct: 0 });
      const admin = kafka.admin();
      await admin.connect();
      expect(await admin.listTopics()).not.toContain(missing);
      await admin.disconnect();
    } finally {
      await reader.close();
    }
  });
});
