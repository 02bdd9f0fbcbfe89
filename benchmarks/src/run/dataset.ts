import { createGenerator } from "@gametel/generator";
import { recomputeExpected, type ExpectedResults } from "@gametel/runtime/testing";
import type { Admin } from "kafkajs";
import { createTopic } from "../clients/admin.js";
import { BenchProducer } from "../clients/produce.js";
import type { Progress } from "./progress.js";

/** The generated data every engine reads: fixed seed, no injected faults (see the README). */
export interface DatasetOptions {
  readonly events: number;
  readonly seed: number;
  readonly players: number;
  readonly matches: number;
  readonly partitions: number;
}

export interface Dataset extends DatasetOptions {
  readonly topic: string;
  readonly bytes: number;
  readonly avgBytes: number;
  readonly produceSeconds: number;
  readonly expected: ExpectedResults;
}

/** The generator's records for these options, in production order. */
export function* generateValues(
  options: Omit<DatasetOptions, "partitions">,
): Generator<{ key: string; json: string }> {
  const generator = createGenerator({
    seed: options.seed,
    players: options.players,
    matches: options.matches,
    maxRecords: options.events,
  });
  for (const record of generator) yield { key: record.key, json: record.json };
}

/** Creates `topic`, loads the generated events into it, and recomputes the expected results independently. */
export async function preload(
  admin: Admin,
  brokers: readonly string[],
  topic: string,
  options: DatasetOptions,
  progress: Progress,
): Promise<Dataset> {
  await createTopic(admin, topic, options.partitions);
  const producer = await BenchProducer.connect(brokers);
  const values: string[] = [];
  let bytes = 0;
  const started = performance.now();
  for (const { key, json } of generateValues(options)) {
    const value = Buffer.from(json);
    bytes += value.length;
    values.push(json);
    await producer.send(topic, key, value);
    if (values.length % 100_000 === 0)
      progress.line(
        `preload ${values.length.toLocaleString("en-US")} / ${options.events.toLocaleString("en-US")}`,
      );
  }
  await producer.close();
  const produceSeconds = (performance.now() - started) / 1000;
  progress.line(
    `preloaded ${values.length.toLocaleString("en-US")} events (${(bytes / 1e6).toFixed(1)} MB) into ${topic} in ${produceSeconds.toFixed(1)} s; recomputing expected results`,
  );
  const expected = recomputeExpected(values);
  return {
    ...options,
    events: values.length,
    topic,
    bytes,
    avgBytes: values.length === 0 ? 0 : bytes / values.length,
    produceSeconds,
    expected,
  };
}
