/**
 * The node-rdkafka client ceiling: a KafkaConsumer with the rdkafka engine's settings (consume(batchSize) in a
 * loop, the same consume timeout) that discards every record, until it has read everything that was in the
 * topic when it started. Prints one JSON line (CeilingReport) and exits.
 */
import rdkafka from "node-rdkafka";
import type { Message } from "node-rdkafka";
import { EndTracker, parseCeilingArgs } from "./args.js";

const args = parseCeilingArgs(process.argv.slice(2));
const consumer = new rdkafka.KafkaConsumer(
  {
    "metadata.broker.list": args.brokers.join(","),
    "client.id": "gametel-ceiling-rdkafka",
    "group.id": args.group,
    "enable.auto.commit": false,
    "enable.auto.offset.store": false,
    "socket.keepalive.enable": true,
    ...args.set,
  },
  { "auto.offset.reset": "earliest" },
);
await new Promise<void>((resolve, reject) =>
  consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(new Error(err.message)) : resolve())),
);
consumer.setDefaultConsumeTimeout(args.maxWaitMs);
const metadata = await new Promise<rdkafka.Metadata>((resolve, reject) =>
  consumer.getMetadata({ topic: args.topic, timeout: 10_000 }, (err, data) =>
    err ? reject(new Error(err.message)) : resolve(data),
  ),
);
const partitions = metadata.topics.find((t) => t.name === args.topic)?.partitions ?? [];
const ends = new Map<number, bigint>();
for (const p of partitions) {
  const w = await new Promise<rdkafka.WatermarkOffsets>((resolve, reject) =>
    consumer.queryWatermarkOffsets(args.topic, p.id, 10_000, (err, offsets) =>
      err ? reject(new Error(err.message)) : resolve(offsets),
    ),
  );
  ends.set(p.id, BigInt(w.highOffset));
}
const tracker = new EndTracker(ends);
consumer.subscribe([args.topic]);
// Calls that came back with fewer records than asked: librdkafka's local queue ran dry (fetch-bound).
let consumeCalls = 0;
let shortCalls = 0;
while (!tracker.done) {
  const batch = await new Promise<Message[]>((resolve, reject) =>
    consumer.consume(args.batchSize, (err, messages) =>
      err ? reject(new Error(err.message)) : resolve(messages),
    ),
  );
  consumeCalls += 1;
  if (batch.length < args.batchSize) shortCalls += 1;
  const last = new Map<number, { count: number; bytes: number; offset: number }>();
  for (const m of batch) {
    const s = last.get(m.partition) ?? { count: 0, bytes: 0, offset: -1 };
    s.count += 1;
    s.bytes += m.value?.length ?? 0;
    s.offset = m.offset;
    last.set(m.partition, s);
  }
  for (const [partition, s] of last) tracker.add(partition, s.count, s.bytes, BigInt(s.offset));
}
process.stdout.write(`${JSON.stringify({ ...tracker.report(), consumeCalls, shortCalls })}\n`);
await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
