// The crash test: SDK clients post under load while the collector (a child process) is killed with SIGKILL several
// times and restarted on the same port. No event that got a 2xx may be missing from Kafka, and with the SDK's
// retries (same event_id) and the processor's deduplication the results must be exact.
import { createSigner } from "@gametel/client";
import { kafkaBrokers } from "@gametel/devstack";
import { createTopic, deleteTopics } from "@gametel/runtime/testing";
import { describe, expect, test } from "vitest";
import { ackingClients, eventIdsIn, loadRun, sendSpread } from "./sdkLoad.js";
import {
  PARTITIONS,
  SERVER_KEY,
  delay,
  freePort,
  generatedEvents,
  processAndCompare,
  splitByKey,
  startCollector,
} from "./support.js";

const CLIENTS = 10;
const SECONDS = 15;
const RATE_PER_CLIENT = 40;
const KILLS = 3;

const run = loadRun("collector-crash");
const { base } = run;

describe("crash", () => {
  test(`kill -9 the collector ${KILLS} times under load: no acknowledged event lost, exact results`, async () => {
    const running = await run.start();
    const { topics, port } = running;
    const events = generatedEvents(CLIENTS * SECONDS * RATE_PER_CLIENT, 1818);
    const parts = splitByKey(events, CLIENTS);
    const { clients, acked } = ackingClients(parts, port, { backoffBaseMs: 100, backoffMaxMs: 1_000 });
    let sending = true;
    const load = sendSpread(clients, parts, SECONDS, 120_000).finally(() => (sending = false));

    const kills: { ackedBefore: number; restartMs: number }[] = [];
    for (let k = 0; k < KILLS && sending; k++) {
      await delay(1_500);
      const ackedBefore = acked.size;
      running.collector.child.kill("SIGKILL");
      expect((await running.collector.exited()).signal).toBe("SIGKILL");
      const down = Date.now();
      await delay(300);
      running.collector = await startCollector(port, topics);
      kills.push({ ackedBefore, restartMs: Date.now() - down });
    }
    await load;
    expect(kills.length).toBe(KILLS);
    // Every kill happened under load: events were acknowledged before it and after it.
    expect(kills[0]!.ackedBefore).toBeGreaterThan(0);
    expect(acked.size).toBeGreaterThan(kills.at(-1)!.ackedBefore);

    const stats = clients.map((c) => c.stats());
    const sum = (k: "delivered" | "dropped" | "retries") => stats.reduce((n, s) => n + s[k], 0);
    expect(sum("dropped")).toBe(0);
    expect(sum("retries")).toBeGreaterThan(0);
    expect(acked.size).toBe(events.length);

    const { ids: inKafka, records } = await eventIdsIn(topics.events);
    expect([...acked].filter((id) => !inKafka.has(id))).toEqual([]);
    console.log(
      `crash: ${events.length} events, ${KILLS} kills, ${sum("retries")} retries, ` +
        `${records - inKafka.size} duplicates in Kafka (dropped downstream); ` +
        `acknowledged before each kill ${kills.map((k) => k.ackedBefore).join(", ")}, ` +
        `down for ${kills.map((k) => k.restartMs).join(", ")} ms`,
    );

    running.collector.child.kill("SIGTERM");
    expect((await running.collector.exited()).code).toBe(0);
    const { diffs, valid } = await processAndCompare(base, topics.events, events);
    expect(valid).toBe(events.length);
    expect(diffs).toEqual([]);
  }, 400_000);

  test("SIGTERM drains the requests in flight: each is answered, every 200 is in Kafka, exit 0", async () => {
    const drainTopics = { events: `${base}.drain`, dlq: `${base}.drain-dlq` };
    await createTopic(kafkaBrokers(), drainTopics.events, PARTITIONS);
    await createTopic(kafkaBrokers(), drainTopics.dlq, 1);
    try {
      const port = await freePort();
      const running = await startCollector(port, drainTopics);
      const events = generatedEvents(4_000, 7);
      const signer = createSigner(SERVER_KEY.secret);
      const path = `/v1/games/${SERVER_KEY.game_id}/events`;
      const requests = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const batch = events.slice(i * 100, i * 100 + 100);
          const body = new TextEncoder().encode(batch.map((e) => JSON.stringify(e)).join("\n"));
          const timestamp = String(Date.now());
          const headers = {
            "content-type": "application/x-ndjson",
            "x-gametel-key": SERVER_KEY.key_id,
            "x-gametel-timestamp": timestamp,
            "x-gametel-signature": await signer.sign("POST", path, timestamp, body),
          };
          return { batch, init: { method: "POST", headers, body } };
        }),
      );
      let signalledAt = 0;
      const answers = requests.map(async ({ batch, init }) => {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, init).catch(() => null);
        const answeredAfterSignal = signalledAt > 0;
        const code = response === null ? "network" : String(response.status);
        const body = response === null ? null : ((await response.json()) as { error?: { code: string } });
        return { batch, code: body?.error?.code === "draining" ? "503 draining" : code, answeredAfterSignal };
      });
      await delay(30);
      running.child.kill("SIGTERM");
      signalledAt = Date.now();
      const outcomes = await Promise.all(answers);
      expect((await running.exited()).code).toBe(0);
      // Accepted requests are answered (200); new ones are refused (503 draining) or find the port closed.
      for (const o of outcomes) expect(["200", "503 draining", "network"]).toContain(o.code);
      const acked = outcomes
        .filter((o) => o.code === "200")
        .flatMap((o) => o.batch.map((e) => e.event_id as string));
      const inKafka = (await eventIdsIn(drainTopics.events)).ids;
      expect(acked.filter((id) => !inKafka.has(id))).toEqual([]);
      console.log(
        `drain: ${outcomes.filter((o) => o.code === "200").length} of 40 requests answered 200 ` +
          `(${outcomes.filter((o) => o.code === "200" && o.answeredAfterSignal).length} after SIGTERM), ` +
          `${outcomes.filter((o) => o.code !== "200").length} refused`,
      );
    } finally {
      await deleteTopics(kafkaBrokers(), [drainTopics.events, drainTopics.dlq]).catch(() => undefined);
    }
  }, 120_000);
});
