import { open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Column, ColumnType } from "../Tables.js";

/** Staging columns that carry a row's partition; never written to the Parquet files. */
export const PARTITION_GAME = "__game_id";
export const PARTITION_DATE = "__date";

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const quoteString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

export function duckType(type: ColumnType): string {
  if (typeof type === "object")
    return `STRUCT(${type.struct.map((c) => `${quoteIdent(c.name)} ${duckType(c.type)}`).join(", ")})`;
  return {
    string: "VARCHAR",
    int64: "BIGINT",
    float64: "DOUBLE",
    timestamp: "TIMESTAMPTZ",
    boolean: "BOOLEAN",
  }[type];
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * DuckDB as the Parquet writer: loads a staged NDJSON file with declared column types, then writes one
 * partition at a time with `COPY ... TO (FORMAT parquet)`, to a temporary name that is synced and renamed.
 * One thread and a fixed row order make the bytes of a file a function of its rows.
 */
export class ParquetWriter {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async create(): Promise<ParquetWriter> {
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    return new ParquetWriter(instance, await instance.connect());
  }

  /** Loads `file` into table `name`; returns the partitions it holds, sorted. */
  async load(
    name: string,
    columns: readonly Column[],
    file: string,
  ): Promise<{ gameId: string; date: string }[]> {
    const declared = [
      ...columns.map((c) => `${quoteString(c.name)}: ${quoteString(duckType(c.type))}`),
      `${quoteString(PARTITION_GAME)}: 'VARCHAR'`,
      `${quoteString(PARTITION_DATE)}: 'VARCHAR'`,
    ];
    await this.connection.run(
      `CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT * FROM read_json(${quoteString(file)}, ` +
        `format = 'newline_delimited', columns = {${declared.join(", ")}})`,
    );
    const reader = await this.connection.runAndReadAll(
      `SELECT DISTINCT ${quoteIdent(PARTITION_GAME)} AS g, ${quoteIdent(PARTITION_DATE)} AS d ` +
        `FROM ${quoteIdent(name)} ORDER BY g, d`,
    );
    return reader.getRowObjectsJS().map((r) => ({ gameId: String(r.g), date: String(r.d) }));
  }

  /** Writes one partition of a loaded table to `path` (atomically), rows ordered by `orderBy`. */
  async writePartition(
    name: string,
    columns: readonly Column[],
    partition: { gameId: string; date: string },
    orderBy: readonly string[],
    path: string,
  ): Promise<void> {
    const tmp = `${dirname(path)}/.${path.slice(dirname(path).length + 1)}.tmp`;
    await rm(tmp, { force: true });
    await this.connection.run(
      `COPY (SELECT ${columns.map((c) => quoteIdent(c.name)).join(", ")} FROM ${quoteIdent(name)} ` +
        `WHERE ${quoteIdent(PARTITION_GAME)} = ${quoteString(partition.gameId)} ` +
        `AND ${quoteIdent(PARTITION_DATE)} = ${quoteString(partition.date)} ` +
        `ORDER BY ${orderBy.map(quoteIdent).join(", ")}) ` +
        `TO ${quoteString(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await fsyncPath(tmp);
    await rename(tmp, path);
    await fsyncPath(dirname(path));
  }

  async drop(name: string): Promise<void> {
    await this.connection.run(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
