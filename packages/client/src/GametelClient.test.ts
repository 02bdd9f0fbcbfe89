// The client against a real HTTP server on 127.0.0.1 (node:http) that answers as told: retries, Retry-After,
// re-signing, batching and the bounded queue, as seen on the wire.
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, test } from "vitest";
import { createClient } from "./GametelClient.js";

interface Received {
  readonly headers: IncomingMessage["headers"];
  readonly events: { event_id: string; event_type: string }[];
  readonly raw: Buffer;
}

const SECRET = "0123456789abcdef0123456789abcdef";
let server: Server | undefined;

afterEach(() => server?.close());

/** A server answering each request with the next status of `script` (then 200), recording what it got. */
async function fakeCollector(script: { status: number; retryAfter?: string; body?: unknown }[]) {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
      received.push({ headers: req.headers, raw, events: text.split("\n").map((l) => JSON.parse(l)) });
      const step = script.shift() ?? { status: 200 };
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (step.retryAfter !== undefined) headers["retry-after"] = step.retryAfter;
      res.writeHead(step.status, headers).end(JSON.stringify(step.body ?? { accepted: 0, rejected: [] }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, received };
}

const session = { player_id: "p-1", data: { platform: "pc", region: "eu", client_version: "1.0" } };

describe("client", () => {
  test("batches by count, signs each request, gzips large bodies", async () => {
    const { url, received } = await fakeCollector([]);
    const client = createClient({
      endpoint: url,
      gameId: "shooter",
      keyId: "k",
      secret: SECRET,
      defaults: { server_id: "eu-1" },
      maxBatchEvents: 10,
      flushIntervalMs: 60_000,
      gzipMinBytes: 1,
    });
    for (let i = 0; i < 25; i++) client.track("session_start", session);
    await client.close();
    expect(received.map((r) => r.events.length)).toEqual([10, 10, 5]);
    const first = received[0]!;
    expect(first.events[0]).toMatchObject({
      event_type: "session_start",
      game_id: "shooter",
      server_id: "eu-1",
      event_version: 1,
      session_id: null,
      match_id: null,
    });
    expect(first.headers["content-encoding"]).toBe("gzip");
    const timestamp = String(first.headers["x-gametel-timestamp"]);
    const text = `POST\n/v1/games/shooter/events\n${timestamp}\n${createHash("sha256").update(first.raw).digest("hex")}`;
    expect(first.headers["x-gametel-signature"]).toBe(
      `v1=${createHmac("sha256", SECRET).update(text).digest("hex")}`,
    );
    expect(client.stats()).toMatchObject({ delivered: 25, dropped: 0, requests: 3 });
  });

  test("retries 503 and 429 (honouring Retry-After) with the same event_ids, signed anew", async () => {
    const { url, received } = await fakeCollector([
      { status: 503, retryAfter: "1" },
      { status: 429 },
      { status: 500 },
    ]);
    const delivered: object[] = [];
    const client = createClient({
      endpoint: url,
      gameId: "shooter",
      keyId: "k",
      secret: SECRET,
      defaults: { server_id: "eu-1" },
      backoffBaseMs: 10,
      onDelivered: (e) => delivered.push(...e),
    });
    const started = Date.now();
    const sent = [
      client.track("session_start", session),
      client.track("session_end", { player_id: "p-1", data: {} }),
    ];
    await client.flush();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(received.length).toBe(4);
    const ids = received.map((r) => r.events.map((e) => e.event_id).join());
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toBe(sent.map((e) => e.event_id).join());
    expect(new Set(received.map((r) => r.headers["x-gametel-signature"])).size).toBe(4);
    expect(delivered).toEqual(sent);
    expect(client.stats()).toMatchObject({ delivered: 2, retries: 3 });
  });

  test("a refused batch (400) is dropped and reported; rejected events are reported", async () => {
    const { url } = await fakeCollector([
      { status: 400, body: { error: { code: "malformed" } } },
      {
        status: 200,
        body: { accepted: 1, rejected: [{ index: 1, path: "data.fps", reason: "expected > 0" }] },
      },
    ]);
    const dropped: string[] = [];
    const rejected: string[] = [];
    const client = createClient({
      endpoint: url,
      gameId: "g",
      keyId: "pub",
      defaults: { server_id: "s" },
      onDropped: (e, reason) => dropped.push(`${e.length} ${reason}`),
      onRejected: (r) => rejected.push(...r.map((x) => x.path)),
    });
    client.track("session_start", session);
    await client.flush();
    client.track("session_start", session);
    client.track("perf_sample", { data: { fps: 0 } });
    await client.flush();
    expect(dropped).toEqual(["1 refused"]);
    expect(rejected).toEqual(["data.fps"]);
    expect(client.stats()).toMatchObject({ delivered: 1, rejected: 1, dropped: 1 });
  });

  test("a public key sends no signature", async () => {
    const { url, received } = await fakeCollector([]);
    const client = createClient({ endpoint: url, gameId: "g", keyId: "pub", defaults: { server_id: "s" } });
    client.track("session_start", session);
    await client.close();
    expect(received[0]!.headers["x-gametel-key"]).toBe("pub");
    expect(received[0]!.headers["x-gametel-signature"]).toBeUndefined();
  });

  test("while the collector is away the queue stays bounded, dropping the oldest with a count", async () => {
    const { url } = await fakeCollector(Array.from({ length: 1000 }, () => ({ status: 503 })));
    const client = createClient({
      endpoint: url,
      gameId: "g",
      keyId: "pub",
      defaults: { server_id: "s" },
      maxQueuedEvents: 50,
      maxBatchEvents: 10,
      backoffBaseMs: 5,
      backoffMaxMs: 20,
    });
    for (let i = 0; i < 500; i++) client.track("session_start", session);
    expect(client.stats().queued).toBeLessThanOrEqual(50);
    await client.close(200);
    const stats = client.stats();
    expect(stats.delivered).toBe(0);
    expect(stats.dropped).toBe(500);
  });

  test("network errors are retried", async () => {
    const { url, received } = await fakeCollector([]);
    const port = new URL(url).port;
    server!.close();
    const client = createClient({
      endpoint: `http://127.0.0.1:${port}`,
      gameId: "g",
      keyId: "pub",
      defaults: { server_id: "s" },
      backoffBaseMs: 50,
      backoffMaxMs: 100,
    });
    client.track("session_start", session);
    const flushed = client.flush();
    await new Promise((r) => setTimeout(r, 300));
    expect(client.stats().retries).toBeGreaterThan(0);
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received.push({ headers: req.headers, raw: Buffer.alloc(0), events: [] });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((resolve) => server!.listen(Number(port), "127.0.0.1", resolve));
    await flushed;
    expect(client.stats().delivered).toBe(1);
  });
});
