#!/usr/bin/env node
import { writeFile } from "node:fs/promises";
import { ExitCode, createAppLogger, exitOnStartFailure, reachKafka, reachMongo } from "@gametel/ops";
import { createGenerator, createSink, runGenerator, sizeForRate } from "@gametel/generator";
import { createProgressReporter } from "./Progress.js";
import { parseCli } from "./cli.js";

const PROGRAM = "gametel-generator";
const fail = (message: string, code: number): never => {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  process.exit(code);
};
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// Signals are caught from the start: one stops cleanly (flushing), a second one exits at once.
const stop = new AbortController();
let flushing = "the target";
const onSignal = (signal: NodeJS.Signals): void => {
  if (stop.signal.aborted) fail(`${signal} again: exiting without flushing`, ExitCode.interrupted);
  process.stderr.write(`\n${signal}: stopping, flushing ${flushing}...\n`);
  stop.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const config = parseCli(process.argv.slice(2), Date.now());
let options = config.generator;
if (config.sizeToRate) {
  const sizing = sizeForRate(options, config.rate);
  options = { ...options, players: sizing.players, matches: sizing.matches, servers: sizing.servers };
  process.stderr.write(
    `live mode: ${sizing.players} players, ${sizing.matches} matches on ${sizing.servers} servers ` +
      `(about ${Math.round(sizing.eventsPerSecond)} events/s of game time)\n`,
  );
}

let generator;
try {
  generator = createGenerator(options);
} catch (error) {
  fail(messageOf(error), ExitCode.usage);
}
// Log lines (the clients' messages) go to stderr: stdout may carry the NDJSON records.
const logger = createAppLogger({ app: PROGRAM, level: config.logLevel, destination: 2 });
const { target } = config;
const reach = { timeoutMs: config.connectTimeoutMs, logger };
logger.debug({ target: target.kind, seed: options.seed ?? 1 }, "starting");
if (target.kind === "kafka") {
  await reachKafka(
    { brokers: [...target.brokers], clientId: "gametel-generator", ...target.connection },
    { ...reach, setting: "--brokers / KAFKA_BROKERS" },
  ).catch((error: unknown) => exitOnStartFailure(PROGRAM, error, { logger }));
}
if (target.kind === "mongo") {
  await reachMongo(target.uri, {}, { ...reach, setting: "--mongo-uri / MONGODB_URI" }).catch(
    (error: unknown) => exitOnStartFailure(PROGRAM, error, { logger }),
  );
}
const sink = await createSink(target, logger).catch((error: unknown) =>
  fail(`cannot open ${target.kind} target: ${messageOf(error)}`, ExitCode.runtimeFailure),
);

flushing = sink.target;
const progress = createProgressReporter({
  mode: config.progress,
  stream: process.stderr,
  ...(options.maxRecords !== undefined ? { totalRecords: options.maxRecords } : {}),
  ...(config.durationMs !== undefined ? { durationMs: config.durationMs } : {}),
});
progress.begin(`writing to ${sink.target}, seed ${options.seed ?? 1}`);
try {
  const result = await runGenerator({
    generator: generator as NonNullable<typeof generator>,
    sink,
    // Sized to the rate, live mode is paced by event time alone; otherwise the rate is a cap.
    rate: config.sizeToRate ? 0 : config.rate,
    realtime: config.realtime,
    signal: stop.signal,
    onProgress: (p) => progress.update(p),
    ...(config.durationMs !== undefined ? { durationMs: config.durationMs } : {}),
  });
  progress.stop();
  const summary = {
    ...result.summary,
    target: result.target,
    elapsed_ms: result.elapsed_ms,
    records_per_s: result.records_per_s,
    stopped_by: result.stopped_by,
  };
  if (config.summaryPath !== undefined)
    await writeFile(config.summaryPath, JSON.stringify(summary, null, 2) + "\n");
  else process.stderr.write(JSON.stringify(summary) + "\n");
} catch (error) {
  progress.stop();
  fail(`${sink.target}: ${messageOf(error)}`, ExitCode.runtimeFailure);
}
