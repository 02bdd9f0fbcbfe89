// The SDK in a real browser (headless Chromium through playwright-core): a web game's page on its own origin
// loads @gametel/client's built bundle and posts to the collector across origins (CORS) with a public write key,
// and with a secret key (WebCrypto signing and CompressionStream gzip in the browser); the events reach Kafka.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { kafkaBrokers, uniqueName } from "@gametel/devstack";
import { silentLogger } from "@gametel/runtime";
import { createTopic, deleteTopics, readTopic } from "@gametel/runtime/testing";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  COLLECTOR_DEFAULTS,
  createCollector,
  createKafkaProducer,
  parseGameKeys,
  type RecordProducer,
} from "../src/index.js";

const require = createRequire(import.meta.url);
const CLIENT_BUNDLE = join(dirname(require.resolve("@gametel/client/package.json")), "dist", "index.js");
const CHROMIUM = process.env.GAMETEL_CHROMIUM_PATH ?? "/usr/bin/chromium";
const SECRET = "browser-test-secret-browser-test-secret";

const base = uniqueName("collector-browser");
const topics = { events: `${base}.events`, dlq: `${base}.dlq` };
let producer: RecordProducer;
let collectorServer: ServerType;
let pageServer: Server;
let browser: Browser;
let collectorUrl: string;
let pageUrl: string;

const PAGE = `<!doctype html><title>web game</title><script type="module">
import { createClient } from "/client.js";
window.sendTelemetry = async (endpoint, keyId, secret, count) => {
  const ids = [];
  const client = createClient({ endpoint, gameId: "web-game", keyId, ...(secret ? { secret } : {}),
    defaults: { server_id: "browser", session_id: "sess-" + keyId }, gzipMinBytes: 256,
    onDelivered: (events) => ids.push(...events.map((e) => e.event_id)) });
  for (let i = 0; i < count; i++) client.track("perf_sample", { data: { fps: 60 - i % 10, ping_ms: 20 + i } });
  await client.close();
  return { ids, stats: client.stats() };
};
window.ready = true;
</script>`;

beforeAll(async () => {
  await createTopic(kafkaBrokers(), topics.events, 3);
  await createTopic(kafkaBrokers(), topics.dlq, 1);
  pageServer = createServer((req, res) => {
    if (req.url === "/client.js")
      res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(CLIENT_BUNDLE));
    else res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
  pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  producer = createKafkaProducer(
    {
      brokers: kafkaBrokers(),
      clientId: "collector-browser",
      securityProtocol: "PLAINTEXT",
      sasl: null,
      sslCaFile: null,
    },
    silentLogger,
  );
  await producer.connect();
  const keys = parseGameKeys(
    JSON.stringify([
      { game_id: "web-game", key_id: "web-public", public: true },
      { game_id: "web-game", key_id: "web-signed", secret: SECRET },
    ]),
    "test keys",
  );
  const settings = {
    ...COLLECTOR_DEFAULTS,
    eventsTopic: topics.events,
    deadLetterTopic: topics.dlq,
    corsOrigins: [pageUrl],
  };
  collectorServer = serve({
    fetch: createCollector({ settings, keys, producer }).app.fetch,
    port: 0,
    hostname: "127.0.0.1",
  });
  await new Promise((resolve) => collectorServer.once("listening", resolve));
  collectorUrl = `http://127.0.0.1:${(collectorServer.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});

afterAll(async () => {
  await browser?.close();
  collectorServer?.close();
  pageServer?.close();
  await producer?.disconnect();
  await deleteTopics(kafkaBrokers(), [topics.events, topics.dlq]).catch(() => undefined);
});

describe("@gametel/client in Chromium", () => {
  test("a web game posts across origins with a public key and a signed key; every delivered event is in Kafka", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pageUrl);
    await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
    type Outcome = { ids: string[]; stats: { delivered: number; dropped: number; requests: number } };
    const run = (keyId: string, secret: string | null, count: number) =>
      page.evaluate(
        ([endpoint, k, s, n]) =>
          (globalThis as unknown as { sendTelemetry: (...a: unknown[]) => Promise<Outcome> }).sendTelemetry(
            endpoint,
            k,
            s,
            n,
          ),
        [collectorUrl, keyId, secret, count] as const,
      );
    const pub = await run("web-public", null, 30);
    const signed = await run("web-signed", SECRET, 150);
    expect(errors).toEqual([]);
    expect(pub.stats).toMatchObject({ delivered: 30, dropped: 0 });
    expect(signed.stats).toMatchObject({ delivered: 150, dropped: 0, requests: 2 });

    const inKafka = new Set(
      (await readTopic(kafkaBrokers(), topics.events)).map(
        (r) => (JSON.parse(r.value!.toString("utf8")) as { event_id: string }).event_id,
      ),
    );
    expect(inKafka).toEqual(new Set([...pub.ids, ...signed.ids]));
  });
});
