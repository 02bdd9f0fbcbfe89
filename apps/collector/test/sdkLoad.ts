// The set-up the collector's load and crash tests share: a collector with topics of its own (removed after the
// file), SDK clients that record every acknowledged event, a load spread evenly over a run, and the event_ids that
// reached Kafka.
import { createClient, type ClientOptions, type GametelClient } from "@gametel/client";
import { kafkaBrokers, uniqueName } from "@gametel/devstack";
import { createTopic, deleteTopics, readTopic } from "@gametel/runtime/testing";
import { afterAll } from "vitest";
import {
  PARTITIONS,
  SERVER_KEY,
  delay,
  freePort,
  processorTopics,
  startCollector,
  type CollectorProcess,
} from "./support.js";

export interface LoadRun {
  /** Prefix of every topic of the run (the processor's included). */
  readonly base: string;
  readonly topics: { readonly events: string; readonly dlq: string };
  readonly port: number;
  /** The collector now running (tests restart it after a kill). */
  collector: CollectorProcess;
}

/**
 * Names the run's topics and registers their removal (and a SIGKILL of a collector still running) after the file's
 * tests; `start()` creates them and starts the collector on a free port.
 */
export function loadRun(prefix: string): { readonly base: string; start(): Promise<LoadRun> } {
  const base = uniqueName(prefix);
  const topics = { events: `${base}.events`, dlq: `${base}.dlq` };
  let run: LoadRun | undefined;
  afterAll(async () => {
    run?.collector.child.kill("SIGKILL");
    await deleteTopics(kafkaBrokers(), [topics.events, topics.dlq, ...processorTopics(base)]).catch(
      () => undefined,
    );
  });
  return {
    base,
    async start() {
      await createTopic(kafkaBrokers(), topics.events, PARTITIONS);
      await createTopic(kafkaBrokers(), topics.dlq, 1);
      const port = await freePort();
      run = { base, topics, port, collector: await startCollector(port, topics) };
      return run;
    },
  };
}

/** One SDK client (the server key) per part, and the event_ids acknowledged with a 2xx so far. */
export function ackingClients(
  parts: readonly unknown[],
  port: number,
  options: Partial<Pick<ClientOptions, "backoffBaseMs" | "backoffMaxMs">> = {},
) {
  const acked = new Set<string>();
  const clients = parts.map(() =>
    createClient({
      endpoint: `http://127.0.0.1:${port}`,
      gameId: SERVER_KEY.game_id,
      keyId: SERVER_KEY.key_id,
      secret: SERVER_KEY.secret,
      flushIntervalMs: 200,
      ...options,
      onDelivered: (delivered) => {
        for (const e of delivered) acked.add((e as { event_id: string }).event_id);
      },
    }),
  );
  return { clients, acked };
}

/** Each client sends its part spread evenly over `seconds` (a tick every 100 ms), then closes within `closeMs`. */
export async function sendSpread(
  clients: readonly GametelClient[],
  parts: readonly (readonly Record<string, unknown>[])[],
  seconds: number,
  closeMs: number,
): Promise<void> {
  await Promise.all(
    parts.map(async (part, i) => {
      const client = clients[i]!;
      const perTick = Math.max(1, Math.ceil(part.length / (seconds * 10)));
      for (let at = 0; at < part.length; at += perTick) {
        for (const e of part.slice(at, at + perTick)) client.enqueue(e);
        await delay(100);
      }
      await client.close(closeMs);
    }),
  );
}

/** The event_ids of a topic's records (each record one JSON event). */
export async function eventIdsIn(topic: string): Promise<{ ids: Set<string>; records: number }> {
  const records = await readTopic(kafkaBrokers(), topic);
  const ids = new Set(
    records.map((r) => (JSON.parse(r.value!.toString("utf8")) as { event_id: string }).event_id),
  );
  return { ids, records: records.length };
}
