/**
 * The kafkajs client ceiling: a consumer that reads the topic with the kafkajs engine's settings
 * (eachBatch, partitionsConsumedConcurrently 4, maxWaitTimeInMs) and discards every record, until it has read
 * everything that was in the topic when it started. Prints one JSON line (CeilingReport) and exits.
 */
import { Kafka, logLevel } from "kafkajs";
import { EndTracker, parseCeilingArgs } from "./args.js";

const args = parseCeilingArgs(process.argv.slice(2));
const kafka = new Kafka({
  clientId: "gametel-ceiling-kafkajs",
  brokers: args.brokers,
  logLevel: logLevel.ERROR,
});
const admin = kafka.admin();
await admin.connect();
const ends = new Map(
  (await admin.fetchTopicOffsets(args.topic)).map((o) => [o.partition, BigInt(o.high)] as const),
);
await admin.disconnect();
const tracker = new EndTracker(ends);
const consumer = kafka.consumer({ groupId: args.group, maxWaitTimeInMs: args.maxWaitMs });
await consumer.connect();
await consumer.subscribe({ topics: [args.topic], fromBeginning: true });
let finish: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (finish = resolve));
await consumer.run({
  autoCommit: false,
  partitionsConsumedConcurrently: 4,
  eachBatch: async ({ batch }) => {
    if (batch.messages.length === 0) return;
    let bytes = 0;
    for (const m of batch.messages) bytes += m.value?.length ?? 0;
    tracker.add(batch.partition, batch.messages.length, bytes, BigInt(batch.lastOffset()));
    if (tracker.done) finish();
    await Promise.resolve();
  },
});
if (tracker.done) finish();
await finished;
process.stdout.write(`${JSON.stringify(tracker.report())}\n`);
await consumer.disconnect();
