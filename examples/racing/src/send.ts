#!/usr/bin/env node
// Sends simulated racing telemetry to Kafka, keyed by partition key with Kafka's default (murmur2) partitioner.
// Usage: pnpm --filter @gametel/example-racing send [--brokers localhost:9092] [--topic racing.events] [--races 30]
import { parseArgs } from "node:util";
import { Kafka, Partitioners } from "kafkajs";
import { simulateRaces } from "./simulate.js";

const { values } = parseArgs({
  options: {
    brokers: { type: "string", default: process.env.KAFKA_BROKERS ?? "localhost:9092" },
    topic: { type: "string", default: "racing.events" },
    races: { type: "string", default: "30" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: send [--brokers host:port,...] [--topic racing.events] [--races 30] [--seed 1]");
  process.exit(0);
}
const races = Number(values.races);
const seed = Number(values.seed);
if (!Number.isInteger(races) || races < 1 || !Number.isInteger(seed)) {
  console.error("send: --races must be a positive integer and --seed an integer");
  process.exit(2);
}
const records = simulateRaces({ seed, races, duplicates: 0.02, late: 0.01, malformed: 0.01 });
const kafka = new Kafka({ clientId: "racing-send", brokers: values.brokers.split(","), logLevel: 1 });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
await producer.connect();
for (let i = 0; i < records.length; i += 500) {
  await producer.send({ topic: values.topic, messages: records.slice(i, i + 500) });
}
await producer.disconnect();
console.log(`sent ${records.length} records of ${races} races to ${values.topic}`);
