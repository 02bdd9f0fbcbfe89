// A bounded load test on localhost: concurrent SDK clients post generated events to the collector (a child
// process) for a fixed time. Every event that got a 2xx must be in Kafka, and the processor's results must equal
// the batch recomputation of the events sent.
import { kafkaBrokers } from "@gametel/devstack";
import { readTopic } from "@gametel/runtime/testing";
import { describe, expect, test } from "vitest";
import { ackingClients, eventIdsIn, loadRun, sendSpread } from "./sdkLoad.js";
import { generatedEvents, processAndCompare, splitByKey } from "./support.js";

// CI-sized: 20 clients for 10 s at ~60 events/s each. GAMETEL_LOAD_CLIENTS / GAMETEL_LOAD_SECONDS /
// GAMETEL_LOAD_RATE scale it up, e.g. 50 clients for 60 s: `pnpm --filter @gametel/collector load:long`.
const CLIENTS = Number(process.env.GAMETEL_LOAD_CLIENTS ?? 20);
const SECONDS = Number(process.env.GAMETEL_LOAD_SECONDS ?? 10);
const RATE_PER_CLIENT = Number(process.env.GAMETEL_LOAD_RATE ?? 60);

const run = loadRun("collector-load");

describe("load", () => {
  test(`${CLIENTS} SDK clients for ${SECONDS} s: every acknowledged event is in Kafka, results equal the recomputation`, async () => {
    const { base, topics, port, collector } = await run.start();
    const events = generatedEvents(CLIENTS * SECONDS * RATE_PER_CLIENT, 18);
    const parts = splitByKey(events, CLIENTS);
    const started = Date.now();
    const { clients, acked } = ackingClients(parts, port);
    // Each client spreads its share evenly over the run.
    await sendSpread(clients, parts, SECONDS, 60_000);
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
    const inKafka = (await eventIdsIn(topics.events)).ids;
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
