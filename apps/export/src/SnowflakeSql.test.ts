// What of the generated SQL is checked here: DuckDB executes the DDL (with DuckDB's type names) and the MERGE
// as generated (MERGE INTO ... USING (SELECT ... QUALIFY ...) ... WHEN MATCHED AND ... THEN UPDATE ...),
// node-sql-parser (Snowflake dialect) parses the MERGE's source query and the connector views. The
// Snowflake-only statements (FILE FORMAT, STAGE, COPY INTO, PIPE, VARIANT/OBJECT/TIMESTAMP_TZ columns) are
// checked by no parser: neither knows them.
import { readFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import nodeSqlParser from "node-sql-parser";
import { describe, expect, test } from "vitest";
import { ident, landingTable, mergeSql, snowflakeSql, tablesDdl } from "./SnowflakeSql.js";

const parser = new nodeSqlParser.Parser();
const parsesAsSnowflake = (sql: string) => parser.astify(sql, { database: "Snowflake" });

async function duck() {
  const instance = await DuckDBInstance.create(":memory:");
  return instance.connect();
}

describe("tables and MERGE, executed by DuckDB", () => {
  test("the DDL creates every table; the MERGE keeps the latest version of each _id and is idempotent", async () => {
    const c = await duck();
    for (const statement of tablesDdl("duckdb")) await c.run(statement);
    const changes = landingTable("match_stats");
    const insert = (id: string, kills: number, at: string) =>
      c.run(
        `INSERT INTO ${changes} (${ident("_id")}, ${ident("game_id")}, ${ident("match_id")}, ${ident("players")}, ` +
          `${ident("kills")}, ${ident("updated_at")}) VALUES ('${id}', 'g', '${id}', 2, ${kills}, '${at}')`,
      );
    await insert("m-1", 1, "2026-01-01T00:00:00Z");
    await insert("m-1", 5, "2026-01-01T00:01:00Z");
    await insert("m-2", 2, "2026-01-01T00:00:30Z");
    const current = async () =>
      (
        await c.runAndReadAll(
          `SELECT ${ident("_id")} AS id, ${ident("kills")} AS kills FROM ${ident("match_stats")} ORDER BY id`,
        )
      ).getRowObjectsJS();
    await c.run(mergeSql("match_stats"));
    expect(await current()).toEqual([
      { id: "m-1", kills: 5n },
      { id: "m-2", kills: 2n },
    ]);
    await c.run(mergeSql("match_stats"));
    await insert("m-2", 0, "2025-12-31T00:00:00Z"); // an older version loaded late changes nothing
    await c.run(mergeSql("match_stats"));
    expect(await current()).toEqual([
      { id: "m-1", kills: 5n },
      { id: "m-2", kills: 2n },
    ]);
    c.closeSync();
  });

  test("the MERGE's source query parses as Snowflake SQL", () => {
    const merge = mergeSql("player_stats");
    const source = merge.slice(merge.indexOf("(\n") + 2, merge.indexOf("\n) AS src"));
    expect(source).toContain("QUALIFY ROW_NUMBER()");
    expect(() => parsesAsSnowflake(source)).not.toThrow();
  });
});

describe("snowflakeSql", () => {
  const sql = snowflakeSql({
    stageUrl: "s3://bucket/gametel/",
    storageIntegration: "GAMETEL_S3",
    snowpipe: true,
  });

  test("has a stage, a landing and a current table, COPY INTO, MERGE and a pipe per table", () => {
    expect(sql).toContain("CREATE STAGE IF NOT EXISTS GAMETEL_EXPORT_STAGE\n  URL = 's3://bucket/gametel/'");
    for (const t of ["player_stats", "player_windows", "match_stats", "server_perf"]) {
      expect(sql).toContain(`CREATE TABLE IF NOT EXISTS ${ident(`${t}_changes`)} (`);
      expect(sql).toContain(`CREATE TABLE IF NOT EXISTS ${ident(t)} (`);
      expect(sql).toContain(`COPY INTO ${ident(`${t}_changes`)}\n  FROM @GAMETEL_EXPORT_STAGE/${t}/`);
      expect(sql).toContain(`MERGE INTO ${ident(t)} USING`);
      expect(sql).toContain(`CREATE PIPE IF NOT EXISTS ${ident(`${t}_pipe`)} AUTO_INGEST = TRUE AS`);
    }
    expect(sql).toContain(`COPY INTO ${ident("events")}\n`);
    expect(sql).toContain(`${ident("kd_ratio")} FLOAT NOT NULL`);
    expect(sql).toContain(`${ident("first_seen")} TIMESTAMP_TZ,`);
    expect(sql).toContain(`${ident("top_killer")} OBJECT,`);
  });

  test("the COPY pattern takes finished Parquet files, never a writer's temporary file", () => {
    const pattern = new RegExp(`^${/PATTERN = '([^']+)'/.exec(sql)?.[1] ?? "none"}$`);
    expect(
      pattern.test("match_stats/game_id=arena/date=2026-12-07/match_stats_start_20261207T000000000Z.parquet"),
    ).toBe(true);
    expect(
      pattern.test(
        "match_stats/game_id=arena/date=2026-12-07/.match_stats_start_20261207T000000000Z.parquet.tmp",
      ),
    ).toBe(false);
  });
});

describe("connect/snowflake/connector-tables.sql", () => {
  const statements = readFileSync(
    new URL("../../../connect/snowflake/connector-tables.sql", import.meta.url),
    "utf8",
  )
    .replace(/--.*$/gm, "")
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "");

  test.each(
    statements.filter((s) => s.startsWith("CREATE OR REPLACE VIEW")).map((s) => [s.split("\n")[0], s]),
  )("%s parses as Snowflake SQL", (_name, statement) => {
    expect(() => parsesAsSnowflake(statement as string)).not.toThrow();
  });
});
