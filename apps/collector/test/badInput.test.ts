// Bad input against a real collector and the real local broker: each bad request gets its status and code, and
// afterwards the events topic holds exactly the events of the accepted requests and the dead-letter topic exactly
// the rejected events of mixed requests (nothing half-written).
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { serve, type ServerType } from "@hono/node-server";
import { kafkaBrokers, uniqueName } from "@gametel/devstack";
import { silentLogger } from "@gametel/runtime";
import { createTopic, deleteTopics, readTopic } from "@gametel/runtime/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  COLLECTOR_DEFAULTS,
  CollectorDeadLetterHeaders,
  createCollector,
  createKafkaProducer,
  parseGameKeys,
  sign,
  type CollectorSettings,
  type RecordProducer,
} from "../src/index.js";

const GAME = "shooter";
const SECRET = "test-secret-test-secret-test-secret-01";
const NEXT_SECRET = "test-secret-test-secret-test-secret-02";
const base = uniqueName("collector-bad");
const topics = { events: `${base}.events`, dlq: `${base}.dlq` };

/** One key per case, so the per-key rate limit of one case never touches another. */
const CASES = [
  "bad-signature",
  "missing-signature",
  "stale",
  "replay",
  "wrong-game",
  "oversized",
  "bomb",
  "malformed",
  "malformed-line",
  "mixed",
  "burst",
  "too-many",
  "too-large-event",
  "media-type",
  "rotation",
  "valid-gzip",
];
const keys = parseGameKeys(
  JSON.stringify([
    ...CASES.map((key_id) => ({ game_id: GAME, key_id, secret: SECRET })),
    { game_id: GAME, key_id: "rotation-next", secret: NEXT_SECRET },
    { game_id: GAME, key_id: "public-web", public: true },
    { game_id: "other-game", key_id: "other", secret: SECRET },
  ]),
  "test keys",
);
const settings: CollectorSettings = {
  ...COLLECTOR_DEFAULTS,
  eventsTopic: topics.events,
  deadLetterTopic: topics.dlq,
  limits: {
    maxBodyBytes: 64 * 1024,
    maxDecompressedBytes: 256 * 1024,
    maxEventsPerRequest: 50,
    maxEventBytes: 4096,
  },
  rateLimits: {
    perKey: { ratePerSec: 1, burst: 30 },
    publicPerIp: { ratePerSec: 1, burst: 10 },
    publicPerSession: { ratePerSec: 1, burst: 5 },
  },
  corsOrigins: [],
};

let producer: RecordProducer;
let server: ServerType;
let url: string;
/** event_ids that must be in the events topic / the dead-letter topic at the end. */
const expectEvents = new Set<string>();
const expectDeadLetters = new Set<string>();

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: randomUUID(),
    event_type: "player_kill",
    event_version: 1,
    event_time: 1_765_000_000_000,
    game_id: GAME,
    server_id: "eu-1",
    match_id: "m-1",
    player_id: "p-1",
    session_id: null,
    data: { victim_id: "p-2", weapon: "rifle", headshot: false },
    ...overrides,
  };
}

interface Post {
  readonly keyId?: string;
  readonly game?: string;
  readonly body: Buffer | string;
  readonly contentType?: string;
  readonly gzip?: boolean;
  readonly secret?: string | null;
  readonly timestamp?: number;
  readonly signature?: string;
}

function signedRequest(p: Post): { path: string; init: RequestInit } {
  const path = `/v1/games/${p.game ?? GAME}/events`;
  const body = typeof p.body === "string" ? Buffer.from(p.body) : p.body;
  const headers: Record<string, string> = { "content-type": p.contentType ?? "application/json" };
  if (p.gzip) headers["content-encoding"] = "gzip";
  if (p.keyId !== undefined) headers["x-gametel-key"] = p.keyId;
  if (p.secret !== null) {
    const timestamp = String(p.timestamp ?? Date.now());
    headers["x-gametel-timestamp"] = timestamp;
    if (p.signature !== "") {
      headers["x-gametel-signature"] = p.signature ?? sign(p.secret ?? SECRET, "POST", path, timestamp, body);
    }
  }
  return { path, init: { method: "POST", headers, body } };
}

/** The collector's answer: a refusal's `error`, or the 200's counts (only the fields a test reads). */
interface Answer {
  readonly error: { readonly code: string };
  readonly accepted: number;
  readonly rejected: { readonly index: number; readonly path: string; readonly reason: string }[];
}

async function send(request: { path: string; init: RequestInit }) {
  const response = await fetch(`${url}${request.path}`, request.init);
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as Answer,
  };
}

const post = (p: Post) => send(signedRequest(p));
const json = (events: unknown[]) => JSON.stringify(events);

beforeAll(async () => {
  await createTopic(kafkaBrokers(), topics.events, 3);
  await createTopic(kafkaBrokers(), topics.dlq, 1);
  producer = createKafkaProducer(
    {
      brokers: kafkaBrokers(),
      clientId: "collector-bad-input",
      securityProtocol: "PLAINTEXT",
      sasl: null,
      sslCaFile: null,
    },
    silentLogger,
  );
  await producer.connect();
  const collector = createCollector({ settings, keys, producer });
  server = serve({ fetch: collector.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  await producer?.disconnect();
  await deleteTopics(kafkaBrokers(), [topics.events, topics.dlq]).catch(() => undefined);
});

describe("refused requests write nothing", () => {
  const oneEvent = () => json([event()]);
  test.each([
    [
      "a signature made with another secret",
      401,
      "bad_signature",
      () => post({ keyId: "bad-signature", body: oneEvent(), secret: NEXT_SECRET }),
    ],
    [
      "a tampered signature",
      401,
      "bad_signature",
      () => post({ keyId: "bad-signature", body: oneEvent(), signature: "v1=00" }),
    ],
    [
      "no signature",
      401,
      "missing_signature",
      () => post({ keyId: "missing-signature", body: oneEvent(), signature: "" }),
    ],
    [
      "no timestamp",
      401,
      "bad_timestamp",
      () => post({ keyId: "missing-signature", body: oneEvent(), secret: null }),
    ],
    [
      "a timestamp 10 minutes old",
      401,
      "stale_timestamp",
      () => post({ keyId: "stale", body: oneEvent(), timestamp: Date.now() - 600_000 }),
    ],
    [
      "a timestamp 10 minutes ahead",
      401,
      "stale_timestamp",
      () => post({ keyId: "stale", body: oneEvent(), timestamp: Date.now() + 600_000 }),
    ],
    ["no key", 401, "missing_key", () => post({ body: oneEvent() })],
    ["a key of another game", 401, "unknown_key", () => post({ keyId: "other", body: oneEvent() })],
    [
      "a game without keys",
      401,
      "unknown_key",
      () => post({ keyId: "wrong-game", game: "nobody", body: oneEvent() }),
    ],
    [
      "a body over the limit",
      413,
      "body_too_large",
      () =>
        post({
          keyId: "oversized",
          body: json(Array.from({ length: 40 }, () => event({ pad: "x".repeat(2000) }))),
        }),
    ],
    [
      "a gzip bomb (40 MB from ~40 KB)",
      413,
      "decompressed_too_large",
      () => post({ keyId: "bomb", body: gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20)), gzip: true }),
    ],
    [
      "a body that is not gzip",
      400,
      "bad_encoding",
      () => post({ keyId: "bomb", body: oneEvent(), gzip: true }),
    ],
    [
      "malformed JSON",
      400,
      "malformed",
      () => post({ keyId: "malformed", body: `[${JSON.stringify(event())},{"event_id": ` }),
    ],
    [
      "a JSON object instead of an array",
      400,
      "malformed",
      () => post({ keyId: "malformed", body: JSON.stringify(event()) }),
    ],
    ["an empty array", 400, "malformed", () => post({ keyId: "malformed", body: "[]" })],
    [
      "an NDJSON line that is not JSON",
      400,
      "malformed",
      () =>
        post({
          keyId: "malformed-line",
          contentType: "application/x-ndjson",
          body: `${JSON.stringify(event())}\n{oops\n`,
        }),
    ],
    [
      "more events than allowed",
      413,
      "too_many_events",
      () => post({ keyId: "too-many", body: json(Array.from({ length: 51 }, () => event())) }),
    ],
    [
      "an event over the size limit",
      413,
      "event_too_large",
      () => post({ keyId: "too-large-event", body: json([event(), { ...event(), pad: "z".repeat(5000) }]) }),
    ],
    [
      "an unsupported content type",
      415,
      "unsupported_media_type",
      () => post({ keyId: "media-type", contentType: "text/plain", body: oneEvent() }),
    ],
  ])("%s → %i %s", async (_name, status, code, run) => {
    const response = await run();
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
  });

  test("a replayed signed request → 401 replayed (the first one is accepted once)", async () => {
    const first = event();
    const request = signedRequest({ keyId: "replay", body: json([first]) });
    expect((await send(request)).status).toBe(200);
    expectEvents.add(first.event_id as string);
    const again = await send(request);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe("replayed");
  });

  test("a burst over the key's rate limit → 429 with Retry-After", async () => {
    const batch = () => Array.from({ length: 12 }, () => event());
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const events = batch();
      const response = await post({ keyId: "burst", body: json(events) });
      statuses.push(response.status);
      if (response.status === 200) for (const e of events) expectEvents.add(e.event_id as string);
      else retryAfter = response.retryAfter;
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});

describe("accepted requests", () => {
  test("mixed valid and invalid events: 200, invalid ones listed by index and dead-lettered", async () => {
    const good = [
      event(),
      event({
        event_type: "session_start",
        match_id: null,
        data: { platform: "pc", region: "eu", client_version: "1.0" },
      }),
    ];
    const bad = [
      event({ data: { victim_id: "p-2", weapon: "rifle" } }), // headshot missing
      event({ game_id: "other-game" }), // not this path's game
      { hello: "world" },
    ];
    const body = [bad[0], good[0], bad[1], good[1], bad[2]];
    const response = await post({ keyId: "mixed", body: json(body) });
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(2);
    expect(response.body.rejected.map((r) => r.index)).toEqual([0, 2, 4]);
    expect(response.body.rejected[0]?.path).toBe("data.headshot");
    expect(response.body.rejected[1]?.path).toBe("game_id");
    for (const e of good) expectEvents.add(e.event_id as string);
    for (const e of bad) expectDeadLetters.add(JSON.stringify(e));
  });

  test("key rotation: the old and the new key both work; gzip NDJSON", async () => {
    const a = event();
    const b = event();
    expect((await post({ keyId: "rotation", body: json([a]) })).status).toBe(200);
    expect((await post({ keyId: "rotation-next", secret: NEXT_SECRET, body: json([b]) })).status).toBe(200);
    const c = event();
    const gz = gzipSync(Buffer.from(`${JSON.stringify(c)}\n`));
    expect(
      (await post({ keyId: "valid-gzip", contentType: "application/x-ndjson", gzip: true, body: gz })).status,
    ).toBe(200);
    for (const e of [a, b, c]) expectEvents.add(e.event_id as string);
  });

  test("a public key: no signature, narrower event types, per-session limit", async () => {
    const session = {
      session_id: "sess-1",
      match_id: null,
      event_type: "session_start",
      data: { platform: "web", region: "eu", client_version: "1" },
    };
    const allowed = event(session);
    const notAllowed = event();
    const response = await post({ keyId: "public-web", secret: null, body: json([allowed, notAllowed]) });
    expect(response.status).toBe(200);
    expect(response.body.rejected).toEqual([
      { index: 1, path: "event_type", reason: expect.stringContaining("public key") },
    ]);
    expectEvents.add(allowed.event_id as string);
    expectDeadLetters.add(JSON.stringify(notAllowed));
    // The session's burst is 5 events: 5 more from the same session are refused.
    const more = Array.from({ length: 5 }, () => event(session));
    const limited = await post({ keyId: "public-web", secret: null, body: json(more) });
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).not.toBeNull();
  });

  test("Kafka unavailable → 503 with Retry-After", async () => {
    const down = createKafkaProducer(
      {
        brokers: ["127.0.0.1:1"],
        clientId: "collector-down",
        securityProtocol: "PLAINTEXT",
        sasl: null,
        sslCaFile: null,
      },
      silentLogger,
    );
    const collector = createCollector({ settings, keys, producer: down });
    const { path, init } = signedRequest({ keyId: "rotation", body: json([event()]) });
    const response = await collector.app.request(path, init);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe(String(settings.retryAfterSec));
  });
});

describe("afterwards, in Kafka", () => {
  test("the events topic holds exactly the accepted events; the dead-letter topic exactly the rejected ones", async () => {
    const events = await readTopic(kafkaBrokers(), topics.events);
    const ids = events.map((r) => (JSON.parse(r.value!.toString("utf8")) as { event_id: string }).event_id);
    expect(new Set(ids)).toEqual(expectEvents);
    expect(ids.length).toBe(expectEvents.size);
    for (const r of events) expect(r.key!.toString("utf8")).toMatch(/^shooter:/);

    const dead = await readTopic(kafkaBrokers(), topics.dlq);
    expect(new Set(dead.map((r) => r.value!.toString("utf8")))).toEqual(expectDeadLetters);
    expect(dead.length).toBe(expectDeadLetters.size);
    for (const r of dead) {
      expect(r.headers[CollectorDeadLetterHeaders.reason]).toBeTruthy();
      expect(r.headers[CollectorDeadLetterHeaders.source]).toBe(`http:${GAME}`);
    }
  });
});
