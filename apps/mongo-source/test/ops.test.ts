// What an operator sees of a running source: the one log shape, /metrics, /healthz and /readyz.
import { createServer } from "node:net";
import { checkLogLine } from "@gametel/ops";
import { afterEach, describe, expect, test } from "vitest";
import { SourceMetricNames } from "../src/SourceMetrics.js";
import {
  createTopics,
  deleteTopics,
  insertInBatches,
  makeEvents,
  startSource,
  testNames,
  withMongo,
} from "./support.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe("mongo-source operations", () => {
  test("serves /metrics, /healthz and /readyz; every log line has the one shape", async () => {
    const names = testNames("ms-ops");
    await createTopics([
      { topic: names.events, partitions: 2 },
      { topic: names.dlq, partitions: 1 },
    ]);
    cleanups.push(() => deleteTopics([names.events, names.dlq]));
    cleanups.push(() =>
      withMongo((c) =>
        c
          .db(names.db)
          .dropDatabase()
          .then(() => undefined),
      ),
    );
    const port = await freePort();
    const source = startSource(names, ["--metrics-port", String(port)]);
    cleanups.push(async () => void source.child.kill("SIGKILL"));
    await source.waitForLog("change stream opened");
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    await withMongo((c) => insertInBatches(c, names.db, makeEvents(12), 6, 0));
    const deadline = Date.now() + 30_000;
    let metrics = "";
    while (!metrics.includes(`${SourceMetricNames.events} 12`) && Date.now() < deadline) {
      metrics = await (await fetch(`${url}/metrics`)).text();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(metrics).toContain(`${SourceMetricNames.events} 12`);
    expect(metrics).toContain(`${SourceMetricNames.running} 1`);
    expect(metrics).toContain("# TYPE process_cpu_seconds_total counter");

    source.child.kill("SIGTERM");
    expect((await source.exited()).code).toBe(0);
    const lines = source
      .stdout()
      .split("\n")
      .filter((l) => l !== "");
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(checkLogLine(line), line).toEqual([]);
    const listening = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((e) => e["msg"] === "ops server listening");
    expect(listening?.["url"]).toBe(`http://0.0.0.0:${port}`);
  });
});
