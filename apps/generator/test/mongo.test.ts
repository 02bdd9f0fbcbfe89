import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeEventUnknown } from "@gametel/core";
import { mongoUri, uniqueName } from "@gametel/devstack";
import { MongoClient } from "mongodb";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, summaryOf } from "./support/cli.js";

describe("generator CLI to MongoDB", () => {
  const client = new MongoClient(mongoUri());
  const databases: string[] = [];
  let dir: string | undefined;
  afterAll(async () => {
    for (const db of databases)
      await client
        .db(db)
        .dropDatabase()
        .catch(() => undefined);
    await client.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("inserts N documents into telemetry: the events as they are, malformed ones insertable but invalid", async () => {
    const db = uniqueName("gen_test").replaceAll("-", "_");
    databases.push(db);
    dir = await mkdtemp(join(tmpdir(), "gametel-generator-mongo-"));
    const summaryPath = join(dir, "summary.json");
    const N = 1200;
    const run = await runCli([
      "--seed",
      "11",
      "--events",
      String(N),
      "--mongo",
      "--mongo-uri",
      mongoUri(),
      "--mongo-db",
      db,
      "--batch-size",
      "200",
      "--duplicates",
      "0.02",
      "--malformed",
      "0.05",
      "--summary",
      summaryPath,
      "--progress",
      "off",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const summary = JSON.parse(await readFile(summaryPath, "utf8")) as Record<string, number>;

    const documents = await client.db(db).collection("telemetry").find().toArray();
    expect(documents).toHaveLength(N);
    const decoded = documents.map(({ _id, ...document }) => decodeEventUnknown(document));
    const valid = decoded.flatMap((r) => (r.ok ? [r.event] : []));
    expect(decoded.length - valid.length).toBe(summary["malformed"]);
    expect(new Set(valid.map((e) => e.event_id)).size).toBe(summary["valid_distinct"]);
    expect(valid.length - summary["valid_distinct"]!).toBe(summary["duplicates"]);
    expect(summary["malformed"]).toBeGreaterThan(20);
    expect(new Set(documents.map((d) => String(d._id))).size).toBe(N);
  }, 120_000);

  it("finishes the pending insertMany when stopped with SIGTERM: every record it counted is inserted", async () => {
    const db = uniqueName("gen_test_sigterm").replaceAll("-", "_");
    databases.push(db);
    const run = await runCli(
      ["--mongo", "--mongo-uri", mongoUri(), "--mongo-db", db, "--batch-size", "300", "--progress", "lines"],
      { signalAfterStartMs: 2000, signal: "SIGTERM" },
    );
    expect(run.code).toBe(0);
    const summary = summaryOf(run);
    expect(summary["stopped_by"]).toBe("signal");
    expect(summary.total_records).toBeGreaterThan(0);
    expect(await client.db(db).collection("telemetry").countDocuments()).toBe(summary.total_records);
  }, 120_000);
});
