#!/usr/bin/env node
// `pnpm dev` (turbo run dev) runs each app's `dev` script, which calls this with the app's name. It waits until
// the local stack answers (packages/devstack's own dev task brings it up), then runs the app with the flags of
// the live demo pipeline. Environment:
//   GAMETEL_DEV_INGEST   mongo (default: generator -> MongoDB `telemetry` -> change-stream source -> Kafka,
//                        like the original architecture), kafka (generator produces straight to Kafka) or http
//                        (generated events posted with @gametel/client to the collector on :8088 -> Kafka)
//   GAMETEL_ENGINE       rdkafka (default) or kafkajs: which processor runs
//   GAMETEL_DEV_RATE     generator records per second (default 200 for mongo, 1000 for kafka)
//   GAMETEL_DEV_SEED     generator seed (default: from the clock, so a second run's events are new, not
//                        duplicates of the first run's event_ids)
//   GAMETEL_METRICS_PORT         the processor's /metrics, /healthz, /readyz (default 9464)
//   GAMETEL_SOURCE_METRICS_PORT  the change-stream source's (default 9465)
//   GAMETEL_COLLECTOR_PORT       the HTTP collector's, with GAMETEL_DEV_INGEST=http (default 8088)
// Kafka and MongoDB are the local stack's (GAMETEL_KAFKA_PORT, GAMETEL_MONGO_PORT) unless KAFKA_BROKERS or
// MONGODB_URI name others.
// An app that is not part of the chosen pipeline stays idle (so turbo keeps one Ctrl-C for everything).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { kafkaBrokers, mongoUri } from "../packages/devstack/src/index.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const app = process.argv[2];
const ingest = process.env.GAMETEL_DEV_INGEST ?? "mongo";
const engine = process.env.GAMETEL_ENGINE ?? "rdkafka";
const fail = (message) => {
  console.error(`dev: ${message}`);
  process.exit(2);
};
if (!["mongo", "kafka", "http"].includes(ingest))
  fail(`GAMETEL_DEV_INGEST must be mongo, kafka or http, not "${ingest}"`);
if (!["rdkafka", "kafkajs"].includes(engine))
  fail(`GAMETEL_ENGINE must be rdkafka or kafkajs, not "${engine}"`);
const endpoints = ["--brokers", kafkaBrokers().join(","), "--mongo-uri", mongoUri()];
const rate = process.env.GAMETEL_DEV_RATE ?? (ingest === "mongo" ? "200" : "1000");
// GAMETEL_DEV_INGEST=http: a local-only key for the demo game (not a secret anywhere else).
const devKey = { game_id: "arena", key_id: "dev", secret: "gametel-local-dev-secret-not-for-production" };
const appEnv = {
  collector: { GAMETEL_COLLECTOR_KEYS: JSON.stringify([devKey]) },
  generator: ingest === "http" ? { GAMETEL_COLLECTOR_SECRET: devKey.secret } : {},
};
const seed = process.env.GAMETEL_DEV_SEED ?? String(Math.floor(Date.now() / 1000) % 2 ** 31);
const metricsPort = process.env.GAMETEL_METRICS_PORT || "9464";
const sourceMetricsPort = process.env.GAMETEL_SOURCE_METRICS_PORT || "9465";
const collectorPort = process.env.GAMETEL_COLLECTOR_PORT || "8088";

/** The generator's own CLI (mongo and kafka ingest). */
const generatorPlan = () => [
  "src/main.ts",
  ...endpoints,
  "--seed",
  seed,
  "--realtime",
  "--rate",
  rate,
  ...(ingest === "mongo" ? ["--mongo"] : ["--kafka", "telemetry.events"]),
  "--progress",
  "lines",
];

/** @type {Record<string, () => string[] | string>} node argv (after `--import tsx`) in the app's folder, or why it idles */
const pipeline = {
  generator: () =>
    ingest === "http"
      ? [
          "../collector/scripts/dev-feed.ts",
          "--seed",
          seed,
          "--rate",
          rate,
          "--endpoint",
          `http://localhost:${collectorPort}`,
        ]
      : generatorPlan(),
  "mongo-source": () =>
    ingest === "mongo"
      ? [
          "--conditions=source",
          "src/main.ts",
          ...endpoints,
          "--copy-existing",
          "--metrics-port",
          sourceMetricsPort,
        ]
      : `GAMETEL_DEV_INGEST=${ingest}: nothing is written to MongoDB's telemetry collection`,
  collector: () =>
    ingest === "http"
      ? ["src/main.ts", "--brokers", kafkaBrokers().join(","), "--port", collectorPort]
      : `GAMETEL_DEV_INGEST=${ingest}: no HTTP ingestion`,
  "processor-rdkafka": () =>
    engine === "rdkafka"
      ? ["--conditions=source", "src/main.ts", ...endpoints, "--metrics-port", metricsPort]
      : "GAMETEL_ENGINE=kafkajs runs the other processor",
  "processor-kafkajs": () =>
    engine === "kafkajs"
      ? ["--conditions=source", "src/main.ts", ...endpoints, "--metrics-port", metricsPort]
      : "GAMETEL_ENGINE=rdkafka (the default) runs the other processor",
};
const plan = pipeline[app]?.();
if (plan === undefined) fail(`unknown app "${app}"; one of ${Object.keys(pipeline).join(", ")}`);

if (typeof plan === "string") {
  console.log(`dev: ${app} idle (${plan})`);
  const keepAlive = setInterval(() => undefined, 1 << 30);
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => clearInterval(keepAlive));
} else {
  const stack = join(root, "packages", "devstack", "bin", "gametel-stack.mjs");
  const waited = spawnSync(process.execPath, [stack, "wait"], { stdio: "inherit" });
  if (waited.status !== 0) process.exit(waited.status ?? 1);
  const cwd = join(root, "apps", app);
  console.log(`dev: ${app}: node --import tsx ${plan.join(" ")}`);
  const whereToLook = {
    generator: `writing ${rate} records/s to ${{ mongo: `${mongoUri()} gametel.telemetry`, kafka: "Kafka telemetry.events", http: `the collector at http://localhost:${collectorPort} (key dev)` }[ingest]}`,
    collector: `POST http://localhost:${collectorPort}/v1/games/arena/events -> Kafka telemetry.events (invalid events -> telemetry.dlq); metrics http://localhost:${collectorPort}/metrics`,
    "mongo-source": `gametel.telemetry inserts -> Kafka telemetry.events (bad documents -> telemetry.dlq); metrics http://localhost:${sourceMetricsPort}/metrics`,
    "processor-rdkafka": `results in ${mongoUri()} db gametel (player_stats, player_stats_5m, match_stats, server_perf_5m); metrics http://localhost:${metricsPort}/metrics`,
    "processor-kafkajs": `results in ${mongoUri()} db gametel (player_stats, player_stats_5m, match_stats, server_perf_5m); metrics http://localhost:${metricsPort}/metrics`,
  };
  console.log(`dev: ${app}: ${whereToLook[app]}`);
  // Its own process group: a Ctrl-C reaches turbo, pnpm and this script at once; the app must see exactly one
  // signal, or it takes the second one as "exit now". tsx as a loader in the app's own process (`node --import
  // tsx`), not its CLI: the CLI relays a signal and SIGKILLs the app (exit 130) when the app does not acknowledge
  // it within 30 ms, which a loaded machine missed (one pnpm dev run in five ended with ELIFECYCLE 130).
  const child = spawn(process.execPath, ["--import", "tsx", ...plan], {
    cwd,
    stdio: "inherit",
    detached: true,
    env: { ...process.env, ...appEnv[app] },
  });
  // Registered while it runs: `gametel-stack dev` waits for these before it stops Kafka and MongoDB, so that
  // on Ctrl-C the apps can still flush to Kafka and save their offsets in MongoDB.
  const registry = join(process.env.GAMETEL_STACK_DIR || join(root, ".cache", "devstack"), "dev-apps");
  const pidFile = join(registry, `${app}.pid`);
  mkdirSync(registry, { recursive: true });
  writeFileSync(pidFile, String(child.pid));
  child.on("exit", () => rmSync(pidFile, { force: true }));
  let forwarded = false;
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      if (forwarded) return;
      forwarded = true;
      child.kill(signal);
    });
  }
  process.on("exit", () => {
    rmSync(pidFile, { force: true });
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  // After a Ctrl-C the app's own exit status says whether it stopped cleanly; pnpm would print ELIFECYCLE for any
  // other status, so a clean stop (0, or killed by the forwarded signal) is 0.
  child.on("exit", (code, signal) =>
    process.exit(forwarded && (code === 0 || signal !== null) ? 0 : (code ?? 1)),
  );
}
