#!/usr/bin/env node
// Reads the command line, connects to MongoDB (read only) and Kafka (when --events-topic), runs one export
// and prints its summary as JSON on stdout. Errors are one line on stderr: exit 2 for bad configuration or
// state, 1 for anything else, 130 when stopped by a signal (the next run finishes the same export).
import { maskUriPassword } from "@gametel/runtime";
import { MongoClient } from "mongodb";
import { parseCli } from "./cli.js";
import { createKafkaEventsSource } from "./EventsSource.js";
import { ExportAbortedError, createExporter } from "./Exporter.js";
import { ExportError } from "./ExportError.js";
import { createProgressReporter } from "./Progress.js";
import { snowflakeSql } from "./SnowflakeSql.js";

const PROGRAM = "gametel-export";
const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ");
const fail = (message: string, code: number): never => {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  process.exit(code);
};

let command: ReturnType<typeof parseCli>;
try {
  command = parseCli(process.argv, process.env);
} catch (error) {
  fail(messageOf(error), 2);
}
const cli = command!;

if (cli.kind === "sql") {
  process.stdout.write(
    snowflakeSql({
      stageUrl: cli.stageUrl,
      storageIntegration: cli.storageIntegration,
      snowpipe: cli.snowpipe,
      ...(cli.tables === undefined ? {} : { tables: cli.tables }),
    }),
  );
  process.exit(0);
}

const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (stop.signal.aborted) fail(`second ${signal}: exiting now (the next run finishes this export)`, 130);
    process.stderr.write(`${signal}: stopping after the current file\n`);
    stop.abort();
  });

const client = new MongoClient(cli.mongoUri, {
  appName: PROGRAM,
  serverSelectionTimeoutMS: 15_000,
  // Primary reads: a lagging secondary could miss writes the watermark already passed.
  readPreference: "primary",
});
const events =
  cli.config.eventsTopic === null
    ? null
    : createKafkaEventsSource({ clientId: PROGRAM, brokers: [...cli.brokers] });
const progress = createProgressReporter(cli.progress, process.stderr);
let exitCode = 0;
try {
  await client.connect().catch((error: unknown) => {
    throw new Error(`cannot reach MongoDB at ${maskUriPassword(cli.mongoUri)}: ${messageOf(error)}`);
  });
  const exporter = createExporter({
    db: client.db(cli.database),
    config: cli.config,
    events,
    signal: stop.signal,
    onProgress: (p) => progress.update(p),
  });
  const summary = await exporter.run();
  progress.stop();
  process.stdout.write(JSON.stringify(summary) + "\n");
} catch (error) {
  progress.stop();
  exitCode = error instanceof ExportAbortedError ? 130 : error instanceof ExportError ? 2 : 1;
  process.stderr.write(`${PROGRAM}: ${messageOf(error)}\n`);
} finally {
  await events?.close();
  await client.close().catch(() => undefined);
}
process.exit(exitCode);
