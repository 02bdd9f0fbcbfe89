// A bounded load test on localhost: concurrent SDK clients post generated events to the collector (a child
// process) for a fixed time. Every event that got a 2xx must be in Kafka, and the processor's results must equal
// the batch recomputation of the events sent.
import { createClient } from "@gametel/client";
import { kafkaBrokers, uniqueName } from "@gametel/devstack";
import { createTopic, deleteTopics, readTopic } from "@gametel/runtime/testing";
import { afterAll, describe, expect, test } from "vitest";
import {
  PARTITIONS,
  SERVER_KEY,
  delay,
  freePort,
  generatedEvents,
  processAndCompare,
  processorTopics,
  splitByKey,
  startCollector,
  type CollectorProcess,
} from "./support.js";

// CI-sized: 20 clients for 10 s at ~60 events/s each. GAMETEL_LOAD_CLIENTS / GAMETEL_LOAD_SECONDS /
// GAMETEL_LOAD_RATE scale it up, e.g. 50 clients for 60 s: `pnpm --filter @gametel/collector load:long`.
const CLIENTS = Number(process.env.GAMETEL_LOAD_CLIENTS ?? 20);
const SECONDS = Number(process.env.GAMETEL_LOAD_SECONDS ?? 10);
const RATE_PER_CLIENT = Number(process.env.GAMETEL_LOAD_RATE ?? 60);

const base = uniqueName("collector-load");
const topics = { events: `${base}.events`, dlq: `${base}.dlq` };
let collector: CollectorProcess | undefined;

afterAll(async () => {
  collector?.child.kill("SIGKILL");
  await deleteTopics(kafkaBrokers(), [topics.events, topics.dlq, ...processorTopics(base)]).catch(
    () => undefined,
  );
});

describe("load", () => {
  test(`${CLIENTS} SDK clients for ${SECONDS} s: every acknowledged event is in Kafka, results equal the recomputation`, async () => {
    await createTopic(kafkaBrokers(), topics.events, PARTITIONS);
    await createTopic(kafkaBrokers(), topics.dlq, 1);
    const port = await freePort();
    collector = await startCollector(port, topics);

    const events = generatedEvents(CLIENTS * SECONDS * RATE_PER_CLIENT, 18);
    const parts = splitByKey(events, CLIENTS);
    const acked = new Set<string>();
    const started = Date.now();
    const clients = parts.map(() =>
      createClient({
        endpoint: `http://127.0.0.1:${port}`,
        gameId: SERVER_KEY.game_id,
        keyId: SERVER_KEY.key_id,
        secret: SERVER_KEY.secret,
        flushIntervalMs: 200,
        onDelivered: (delivered) => {
          for (const e of delivered) acked.add((e as { event_id: string }).event_id);
        },
      }),
    );
    // Each client spreads its share evenly over the run.
    await Promise.all(
      parts.map(async (part, i) => {
        const client = clients[i]!;
        const perTick = Math.max(1, Math.ceil(part.length / (SECONDS * 10)));
        for (let at = 0; at < part.length; at += perTick) {
          for (const e of part.slice(at, at + perTick)) client.enqueue(e);
          await delay(100);
        }
        await client.close(60_000);
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    const stats = clients.map((c) => c.stats());
    const total = (k: "delivered" | "dropped" | "rejected" | "requests" | "retries") =>
      stats.reduce((sum, s) => sum + s[k], 0);
    console.log(
      `load: ${events.length} events from ${CLIENTS} clients in ${elapsed.toFixed(1)} s ` +
        `(${Math.round(events.length / elapsed)}/s), ${total("requests")} requests, ${total("retries")} retries`,
    );
    expect(total("dropped")).toBe(0);
    expect(total("rejected")).toBe(0);
    expect(total("delivered")).toBe(events.length);
    expect(acked.size).toBe(events.length);

    // Every acknowledged event is in the events topic; nothing went to the dead-letter topic.
    const inKafka = new Set<string>();
    for (const r of await readTopic(kafkaBrokers(), topics.events)) {
      inKafka.add((JSON.parse(r.value!.toString("utf8")) as { event_id: string }).event_id);
    }
    const missing = [...acked].filter((id) => !inKafka.has(id));
    expect(missing).toEqual([]);
    expect(await readTopic(kafkaBrokers(), topics.dlq)).toEqual([]);

    collector.child.kill("SIGTERM");
    expect((await collector.exited()).code).toBe(0);

    const { diffs, players, valid } = await processAndCompare(base, topics.events, events);
    expect(valid).toBe(events.length);
    expect(players).toBeGreaterThan(100);
    expect(diffs).toEqual([]);
  }, 400_000);
});
