// gametel-export end to end, against the real local broker and server: generated telemetry of two games goes
// through the kafkajs processor into MongoDB, then the export CLI writes Parquet that DuckDB reads back.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { uniqueName } from "@gametel/devstack";
import { createTopic, deleteTopics, readTopic, runToCaughtUp } from "@gametel/runtime/testing";
import { MongoClient, type Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  EVENTS_TABLE,
  INSIGHT_TABLES,
  INVALID_GAME,
  ident,
  landingTable,
  mergeSql,
  tablesDdl,
  type ExportSummary,
  type InsightTable,
} from "../src/index.js";
import {
  describedType,
  directMongoUri,
  expectedRow,
  generate,
  kafkajsProcessor,
  lowerKeys,
  readParquet,
  runExport,
  startExport,
  target,
  tree,
} from "./support.js";

const PARTITIONS = 3;
const name = uniqueName("export");
const t = target(name, PARTITIONS);
const client = new MongoClient(directMongoUri());
let workDir = "";
const runs: { until: number; summary: ExportSummary }[] = [];

const filesOf = (summary: ExportSummary, table: string) => [...(summary.tables[table]?.files ?? [])];
const parse = (stdout: string) => JSON.parse(stdout) as ExportSummary;

/** Exports everything changed up to now into directory "a" (the incremental chain) and records the run. */
async function exportNow(): Promise<ExportSummary> {
  const until = Date.now();
  const args = ["--out", join(workDir, "a"), "--db", t.mongoDb, "--until", String(until)];
  const out = await runExport([...args, "--events-topic", t.inputTopic, "--progress", "off"]);
  expect(out.code, out.stderr).toBe(0);
  const summary = parse(out.stdout);
  runs.push({ until, summary });
  return summary;
}

async function mongoDocs(table: InsightTable, filter: Document = {}): Promise<Map<string, Document>> {
  const docs = await client.db(t.mongoDb).collection(table.collection).find(filter).toArray();
  return new Map(docs.map((d) => [String(d._id), d]));
}

/** Every row of `files` equals the MongoDB document of its `_id`, field by field with types. */
async function expectRowsEqualDocs(table: InsightTable, files: string[], docs: Map<string, Document>) {
  const { rows, types } = await readParquet(files);
  expect(types).toEqual(Object.fromEntries(table.columns.map((c) => [c.name, describedType(c.type)])));
  expect(rows.map((r) => r._id).sort()).toEqual([...docs.keys()].sort());
  for (const row of rows)
    expect(row).toEqual(expectedRow(docs.get(String(row._id)) as Document, table.columns));
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "gametel-export-"));
  await client.connect();
  await createTopic(t.brokers, t.inputTopic, PARTITIONS);
  await generate(t.inputTopic, { seed: 11, game: "arena", events: 400, start: "2026-03-01T10:00:00Z" });
  await generate(t.inputTopic, { seed: 12, game: "duel", events: 300, start: "2026-03-01T10:00:00Z" });
  await runToCaughtUp(kafkajsProcessor, t, 180_000);
}, 300_000);

afterAll(async () => {
  await client
    .db(t.mongoDb)
    .dropDatabase()
    .catch(() => undefined);
  await client.close();
  await deleteTopics(t.brokers, [t.inputTopic, t.dlqTopic, t.lateTopic, t.outputTopic]).catch(
    () => undefined,
  );
  if (workDir !== "") await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe("gametel-export on a processed generated dataset", () => {
  test("every file read back with DuckDB equals MongoDB's documents, field by field with types", async () => {
    const summary = await exportNow();

    // A ratio that happens to be integral is stored by MongoDB as an int32; the export still types it double.
    const integralRatios = await client
      .db(t.mongoDb)
      .collection("player_stats")
      .countDocuments({ kd_ratio: { $type: "int" } });
    expect(integralRatios).toBeGreaterThan(0);

    for (const table of INSIGHT_TABLES) {
      const docs = await mongoDocs(table);
      expect(docs.size, table.name).toBeGreaterThan(0);
      const files = filesOf(summary, table.name);
      expect(
        files.some((f) => f.includes("/game_id=duel/")) && files.some((f) => f.includes("/game_id=arena/")),
      ).toBe(true);
      await expectRowsEqualDocs(table, files, docs);
    }

    // Raw events: every record of the topic once, invalid ones kept with their reason.
    const records = await readTopic(t.brokers, t.inputTopic);
    const { rows, types } = await readParquet(filesOf(summary, "events"));
    expect(types).toEqual(
      Object.fromEntries(EVENTS_TABLE.columns.map((c) => [c.name, describedType(c.type)])),
    );
    const key = (p: unknown, o: unknown) => `${String(p)}:${String(o)}`;
    expect(rows.map((r) => key(r.kafka_partition, r.kafka_offset)).sort()).toEqual(
      records.map((r) => key(r.partition, r.offset)).sort(),
    );
    const byOffset = new Map(
      records.map((r) => [key(r.partition, r.offset), r.value?.toString("utf8") ?? null]),
    );
    for (const row of rows) expect(row.value).toBe(byOffset.get(key(row.kafka_partition, row.kafka_offset)));
    const invalid = rows.filter((r) => r.valid === false);
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.every((r) => typeof r.error === "string" && r.game_id === null)).toBe(true);
    expect(filesOf(summary, "events").some((f) => f.includes(`/game_id=${INVALID_GAME}/`))).toBe(true);
  }, 120_000);

  test("a second export after more events holds exactly the changed rows", async () => {
    const [first] = runs;
    if (first === undefined) throw new Error("needs the first export");
    const highBefore = (await readTopic(t.brokers, t.inputTopic)).length;
    await generate(t.inputTopic, { seed: 13, game: "arena", events: 300, start: "2026-03-02T10:00:00Z" });
    await runToCaughtUp(kafkajsProcessor, t, 180_000);
    const summary = await exportNow();
    const until = runs[1]?.until ?? 0;

    for (const table of INSIGHT_TABLES) {
      const changed = await mongoDocs(table, {
        updated_at: { $gt: new Date(first.until), $lte: new Date(until) },
      });
      const all = await mongoDocs(table);
      expect(changed.size, table.name).toBeGreaterThan(0);
      expect(changed.size, `${table.name}: the duel game did not change`).toBeLessThan(all.size);
      const files = filesOf(summary, table.name);
      expect(files.every((f) => f.includes("/game_id=arena/"))).toBe(true);
      await expectRowsEqualDocs(table, files, changed);
    }
    // Events: just the new records.
    const records = await readTopic(t.brokers, t.inputTopic);
    const { rows } = await readParquet(filesOf(summary, "events"));
    expect(rows.length).toBe(records.length - highBefore);

    // Both exports loaded into DuckDB with the generated DDL and folded with the generated MERGE: the
    // current-state tables equal MongoDB.
    const instance = await DuckDBInstance.create(":memory:");
    const c = await instance.connect();
    try {
      for (const statement of tablesDdl("duckdb")) await c.run(statement);
      for (const table of INSIGHT_TABLES) {
        const files = runs.flatMap((r) => filesOf(r.summary, table.name)).map((f) => `'${f}'`);
        await c.run(
          `INSERT INTO ${landingTable(table.name)} BY NAME SELECT * FROM read_parquet([${files.join(", ")}], hive_partitioning = false)`,
        );
        await c.run(mergeSql(table.name));
        await c.run(mergeSql(table.name));
        const current = (await c.runAndReadAll(`SELECT * FROM ${ident(table.name)}`))
          .getRowObjectsJS()
          .map((r) => lowerKeys(r) as Record<string, unknown>);
        const docs = await mongoDocs(table);
        expect(current.length, table.name).toBe(docs.size);
        for (const row of current)
          expect(row).toEqual(expectedRow(docs.get(String(row._id)) as Document, table.columns));
      }
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  }, 300_000);

  test("an export killed mid-run and rerun yields the same files as an uninterrupted one", async () => {
    const until = String(runs[1]?.until ?? Date.now());
    const common = [
      "--db",
      t.mongoDb,
      "--until",
      until,
      "--events-topic",
      t.inputTopic,
      "--progress",
      "lines",
    ];
    const whole = await runExport(["--out", join(workDir, "whole"), ...common]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(parse(whole.stdout).files).toBeGreaterThan(10);

    const crashedDir = join(workDir, "crashed");
    const run = startExport(["--out", crashedDir, ...common]);
    run.child.stderr?.on("data", (chunk: Buffer) => {
      if (chunk.toString("utf8").includes("wrote ")) run.child.kill("SIGKILL");
    });
    const killed = await run.exited;
    expect(killed.signal).toBe("SIGKILL");
    const state = JSON.parse(await readFile(join(crashedDir, "_gametel_export_state.json"), "utf8")) as {
      pending: unknown;
    };
    expect(state.pending, "killed before the export finished").not.toBeNull();

    const rerun = await runExport([
      "--out",
      crashedDir,
      ...common.filter((a) => a !== until && a !== "--until"),
    ]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(parse(rerun.stdout).resumed).toBe(true);
    expect(await tree(crashedDir)).toEqual(await tree(join(workDir, "whole")));
  }, 120_000);

  test("SIGTERM stops after the current file with exit 130; the next run finishes the same export", async () => {
    const dir = join(workDir, "stopped");
    const common = ["--db", t.mongoDb, "--events-topic", t.inputTopic, "--progress", "lines"];
    const until = String(runs[1]?.until ?? Date.now());
    const run = startExport(["--out", dir, "--until", until, ...common]);
    let signalled = false;
    run.child.stderr?.on("data", (chunk: Buffer) => {
      // One signal: a second one would exit at once (also with 130, without the clean stop).
      if (!signalled && chunk.toString("utf8").includes("wrote ")) {
        signalled = true;
        run.child.kill("SIGTERM");
      }
    });
    const stopped = await run.exited;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain(
      "gametel-export: stopped by a signal; the next run finishes this export\n",
    );
    const rerun = await runExport(["--out", dir, ...common]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(parse(rerun.stdout)).toMatchObject({
      resumed: true,
      until: new Date(Number(until)).toISOString(),
    });
    expect(await tree(dir)).toEqual(await tree(join(workDir, "whole")));
  }, 60_000);

  test("a damaged state file stops the export with one line and exit code 2, writing nothing", async () => {
    const dir = join(workDir, "damaged");
    await runExport(["--out", dir, "--db", t.mongoDb, "--tables", "match_stats", "--progress", "off"]);
    const before = await tree(dir);
    await writeFile(join(dir, "_gametel_export_state.json"), "{ not json");
    const out = await runExport(["--out", dir, "--db", t.mongoDb, "--progress", "off"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /^gametel-export: state file .* is not JSON; move it away to export everything again\n$/,
    );
    const after = await tree(dir);
    after.delete("_gametel_export_state.json");
    before.delete("_gametel_export_state.json");
    expect(after).toEqual(before);
  }, 60_000);
});
