import { EVENTS_TABLE } from "./EventsTable.js";
import { INSIGHT_TABLES, type Column, type ColumnType } from "./Tables.js";

/**
 * SQL for loading the export into a warehouse, generated from the same column declarations as the Parquet
 * files. `snowflake` is the real output; `duckdb` is the same statements with DuckDB's type names, which
 * the tests execute (DDL, COPY-by-name and the MERGE) to check what the two dialects share.
 */
export type SqlDialect = "snowflake" | "duckdb";

export interface SnowflakeSqlOptions {
  /** External stage location, e.g. s3://bucket/gametel/ (the export directory's copy). */
  readonly stageUrl: string;
  /** Storage integration that grants Snowflake access to the location. */
  readonly storageIntegration: string;
  readonly stage?: string;
  readonly fileFormat?: string;
  /** Tables to load (default: the four insight tables and events). */
  readonly tables?: readonly string[];
  /** Also create Snowpipes with AUTO_INGEST (cloud event notifications on the bucket). */
  readonly snowpipe?: boolean;
}

interface SqlTable {
  readonly name: string;
  readonly columns: readonly Column[];
  /** Current-state tables are merged by `_id` on the latest `updated_at`; events are only appended. */
  readonly mergeKey: boolean;
}

const SQL_TABLES: readonly SqlTable[] = [
  ...INSIGHT_TABLES.map((t) => ({ name: t.name, columns: t.columns, mergeKey: true })),
  { name: EVENTS_TABLE.name, columns: EVENTS_TABLE.columns, mergeKey: false },
];

/** Identifiers upper-cased and quoted: `START`, `END` and `COUNT` are reserved words in Snowflake. */
export const ident = (name: string): string => `"${name.toUpperCase().replaceAll('"', '""')}"`;
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

function sqlType(type: ColumnType, dialect: SqlDialect): string {
  if (typeof type === "object")
    return dialect === "snowflake"
      ? "OBJECT"
      : `STRUCT(${type.struct.map((c) => `${ident(c.name)} ${sqlType(c.type, dialect)}`).join(", ")})`;
  const names = {
    snowflake: {
      string: "VARCHAR",
      int64: "NUMBER(38,0)",
      float64: "FLOAT",
      timestamp: "TIMESTAMP_TZ",
      boolean: "BOOLEAN",
    },
    duckdb: {
      string: "VARCHAR",
      int64: "BIGINT",
      float64: "DOUBLE",
      timestamp: "TIMESTAMPTZ",
      boolean: "BOOLEAN",
    },
  } as const;
  return names[dialect][type];
}

const columnList = (t: SqlTable, dialect: SqlDialect) =>
  t.columns
    .map((c) => `  ${ident(c.name)} ${sqlType(c.type, dialect)}${c.nullable ? "" : " NOT NULL"}`)
    .join(",\n");

/** `<NAME>_CHANGES`: every exported version of a row (append-only), or the events themselves. */
export const landingTable = (name: string): string =>
  EVENTS_TABLE.name === name ? ident(name) : ident(`${name}_changes`);

/** The tables: a landing table per export table, and a current-state table for the insights. */
export function tablesDdl(dialect: SqlDialect, names?: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of selected(names)) {
    out.push(`CREATE TABLE IF NOT EXISTS ${landingTable(t.name)} (\n${columnList(t, dialect)}\n)`);
    if (t.mergeKey) out.push(`CREATE TABLE IF NOT EXISTS ${ident(t.name)} (\n${columnList(t, dialect)}\n)`);
  }
  return out;
}

/**
 * Folds the landing table into the current-state table: the latest version of each `_id`, applied only
 * when newer than what the table holds, so running it again (or after an overlapping load) changes nothing.
 */
export function mergeSql(name: string): string {
  const t = SQL_TABLES.find((x) => x.name === name && x.mergeKey);
  if (t === undefined) throw new Error(`no current-state table for ${name}`);
  const target = ident(t.name);
  const cols = t.columns.map((c) => ident(c.name));
  return (
    `MERGE INTO ${target} USING (\n` +
    `  SELECT * FROM ${landingTable(t.name)}\n` +
    `  QUALIFY ROW_NUMBER() OVER (PARTITION BY ${ident("_id")} ORDER BY ${ident("updated_at")} DESC) = 1\n` +
    `) AS src ON ${target}.${ident("_id")} = src.${ident("_id")}\n` +
    `WHEN MATCHED AND src.${ident("updated_at")} > ${target}.${ident("updated_at")} THEN UPDATE SET ` +
    cols
      .filter((c) => c !== ident("_id"))
      .map((c) => `${c} = src.${c}`)
      .join(", ") +
    `\nWHEN NOT MATCHED THEN INSERT (${cols.join(", ")}) VALUES (${cols.map((c) => `src.${c}`).join(", ")})`
  );
}

function selected(names?: readonly string[]): readonly SqlTable[] {
  if (names === undefined) return SQL_TABLES;
  return names.map((n) => {
    const t = SQL_TABLES.find((x) => x.name === n);
    if (t === undefined) throw new Error(`unknown table ${n}`);
    return t;
  });
}

const copyInto = (t: SqlTable, stage: string, fileFormat: string) =>
  `COPY INTO ${landingTable(t.name)}\n  FROM @${stage}/${t.name}/\n` +
  `  FILE_FORMAT = (FORMAT_NAME = ${fileFormat})\n  MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE\n` +
  // Only finished files: a writer's temporary files start with a dot and end in .tmp.
  `  PATTERN = '.*/[^.][^/]*[.]parquet'`;

/** The whole Snowflake script: file format, stage, tables, COPY INTO, MERGE and optional Snowpipes. */
export function snowflakeSql(options: SnowflakeSqlOptions): string {
  const stage = options.stage ?? "GAMETEL_EXPORT_STAGE";
  const fileFormat = options.fileFormat ?? "GAMETEL_PARQUET";
  const tables = selected(options.tables);
  const statements: string[] = [
    `-- gametel export -> Snowflake. Generated by gametel-export sql; the column types match the Parquet files.`,
    `CREATE FILE FORMAT IF NOT EXISTS ${fileFormat} TYPE = PARQUET USE_LOGICAL_TYPE = TRUE`,
    `CREATE STAGE IF NOT EXISTS ${stage}\n  URL = ${literal(options.stageUrl)}\n` +
      `  STORAGE_INTEGRATION = ${options.storageIntegration}\n  FILE_FORMAT = ${fileFormat}`,
    ...tablesDdl("snowflake", options.tables),
    `-- Load new files (COPY INTO skips files it already loaded), then fold the changes into the current tables.`,
    ...tables.map((t) => copyInto(t, stage, fileFormat)),
    ...tables.filter((t) => t.mergeKey).map((t) => mergeSql(t.name)),
  ];
  if (options.snowpipe === true) {
    statements.push(`-- Snowpipe: load each file when it lands (needs event notifications on the bucket).`);
    for (const t of tables)
      statements.push(
        `CREATE PIPE IF NOT EXISTS ${ident(`${t.name}_pipe`)} AUTO_INGEST = TRUE AS\n${copyInto(t, stage, fileFormat)}`,
      );
  }
  return statements.map((s) => (s.startsWith("--") ? s : `${s};`)).join("\n\n") + "\n";
}
