#!/usr/bin/env node
// gametel-stack: a real Apache Kafka 4 (KRaft) and a MongoDB wire-protocol server on this machine,
// without Docker. See packages/devstack/README.md.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { KAFKA_SECURITIES, parseKafkaSecurity, resolveConfig, SERVICES } from "../src/config.mjs";
import { StackError } from "../src/errors.mjs";
import { down, status, up } from "../src/stack.mjs";

/** @typedef {import("../src/config.mjs").ServiceName} ServiceName */

const log = (/** @type {string} */ line) => console.log(line);

/**
 * @param {string} value
 * @param {ServiceName[]} [previous]
 * @returns {ServiceName[]}
 */
function serviceList(value, previous = []) {
  const service = SERVICES.find((name) => name === value);
  if (!service) throw new InvalidArgumentError(`unknown service "${value}"; use ${SERVICES.join(" or ")}.`);
  return [...previous, service];
}

/** @param {string[]} names */
function services(names) {
  return names.length === 0
    ? SERVICES
    : names.reduce((list, name) => serviceList(name, list), /** @type {ServiceName[]} */ ([]));
}

/** @param {Awaited<ReturnType<typeof status>>} rows */
function printStatus(rows) {
  for (const row of rows) {
    const health = row.answers ? "answering" : `not answering${row.problem ? ` (${row.problem})` : ""}`;
    if (row.state === "external") {
      log(`${row.service.padEnd(6)} external  ${row.endpoint}  ${health}`);
    } else if (row.state === "running") {
      log(`${row.service.padEnd(6)} running   pid ${row.pid}  ${row.endpoint}  ${health}`);
    } else {
      log(`${row.service.padEnd(6)} stopped   (would run on ${row.endpoint})`);
    }
    if (row.dataDir) log(`${" ".repeat(17)}data ${row.dataDir}`);
    if (row.logFile) log(`${" ".repeat(17)}log  ${row.logFile}`);
  }
}

const program = new Command("gametel-stack")
  .description(
    "Local Apache Kafka 4 (KRaft, localhost:9092) and MongoDB-compatible server (localhost:27017) for gametel.\n" +
      "KAFKA_BROKERS / MONGODB_URI: use that endpoint instead and start nothing for it.",
  )
  .showHelpAfterError()
  .addHelpText(
    "after",
    `
Environment:
  KAFKA_BROKERS                  external Kafka bootstrap servers (host:port,...); no local Kafka
  MONGODB_URI                    external MongoDB connection string; no local server
  GAMETEL_KAFKA_PORT             local Kafka port (default 9092)
  GAMETEL_KAFKA_CONTROLLER_PORT  local KRaft controller port (default 9093)
  GAMETEL_MONGO_PORT             local MongoDB port (default 27017)
  GAMETEL_MONGO_OPLOG_MINUTES    change-stream history kept by the local MongoDB (default 10, 0 = all)
  GAMETEL_KAFKA_SECURITY         plaintext or sasl_ssl (SCRAM-SHA-512 over TLS, certificates made with keytool);
                                 default: what the local Kafka's data was made for, else plaintext
  GAMETEL_KAFKA_SASL_USERNAME    the secured broker's client user (default gametel)
  GAMETEL_KAFKA_SASL_PASSWORD    its password (default: random); the client settings go to <stack dir>/kafka/client.env
  GAMETEL_STACK_DIR              data, logs and pid files (default <repo>/.cache/devstack)
  GAMETEL_STACK_ARTIFACTS        jars from Maven Central (default <repo>/.cache/devstack/artifacts)
  JAVA_HOME                      the JDK (17+) to use instead of java on PATH`,
  );

program
  .command("up")
  .description("start Kafka and the MongoDB server (or the named ones) and wait until they answer")
  .argument("[services...]", `any of: ${SERVICES.join(", ")} (default: all)`)
  .option("--fresh", "stop them and wipe their data first")
  .option(
    "--security <mode>",
    `Kafka's listener: ${KAFKA_SECURITIES.join(" or ")} (SASL SCRAM-SHA-512 over TLS) [GAMETEL_KAFKA_SECURITY]`,
  )
  .action(
    async (/** @type {string[]} */ names, /** @type {{ fresh?: boolean, security?: string }} */ options) => {
      await up(withSecurity(resolveConfig(), options.security), {
        fresh: options.fresh === true,
        services: services(names),
        log,
      });
    },
  );

/**
 * The `--security` flag over GAMETEL_KAFKA_SECURITY.
 * @param {import("../src/config.mjs").StackConfig} config
 * @param {string | undefined} flag
 */
function withSecurity(config, flag) {
  const security = parseKafkaSecurity(flag, "--security");
  return security === undefined ? config : { ...config, kafkaSecurity: security };
}

program
  .command("down")
  .description("stop the local services (SIGTERM, then SIGKILL after a grace period); data stays")
  .argument("[services...]", `any of: ${SERVICES.join(", ")} (default: all)`)
  .action(async (/** @type {string[]} */ names) => {
    await down(resolveConfig(), { services: services(names), log });
  });

program
  .command("status")
  .description("show what runs, where, its pid, data directory and log file")
  .option("--json", "print JSON")
  .action(async (/** @type {{ json?: boolean }} */ options) => {
    const rows = await status(resolveConfig());
    if (options.json) log(JSON.stringify(rows, null, 2));
    else printStatus(rows);
  });

program
  .command("wait")
  .description(
    "wait until Kafka and MongoDB answer (what `pnpm dev` apps do before they start); starts nothing",
  )
  .option(
    "--timeout <seconds>",
    "give up after this long",
    (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("a positive number of seconds");
      return n;
    },
    180,
  )
  .action(async (/** @type {{ timeout: number }} */ options) => {
    const config = resolveConfig();
    const deadline = Date.now() + options.timeout * 1000;
    for (;;) {
      const rows = await status(config);
      if (rows.every((row) => row.answers)) return;
      if (Date.now() > deadline) {
        const waiting = rows.filter((row) => !row.answers).map((row) => `${row.service} (${row.endpoint})`);
        throw new StackError(
          `still waiting for ${waiting.join(" and ")} after ${options.timeout} s; start it with: pnpm stack:up`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });

program
  .command("dev")
  .description("bring the stack up and keep it up until Ctrl-C, then stop what this command started")
  .option("--security <mode>", `Kafka's listener: ${KAFKA_SECURITIES.join(" or ")} [GAMETEL_KAFKA_SECURITY]`)
  .action(async (/** @type {{ security?: string }} */ options) => {
    const config = withSecurity(resolveConfig(), options.security);
    const { started } = await up(config, { services: SERVICES, log });
    log(
      started.length > 0
        ? "stack up; Ctrl-C stops what this started"
        : "stack up (started nothing; Ctrl-C leaves it running)",
    );
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await new Promise((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    clearInterval(keepAlive);
    if (started.length > 0) {
      await waitForDevApps(join(config.stateDir, "dev-apps"), DEV_APPS_GRACE_MS);
      await down(config, { services: started, log });
    }
  });

/** Longest wait for the `pnpm dev` apps to stop before the services go. */
const DEV_APPS_GRACE_MS = 20_000;

/**
 * Waits until no app registered by scripts/dev-app.mjs (one pid file each) is alive, or the grace period ends:
 * the apps still need Kafka and MongoDB to flush and save their offsets after the Ctrl-C.
 * @param {string} registry
 * @param {number} graceMs
 */
async function waitForDevApps(registry, graceMs) {
  const alive = () => {
    /** @type {string[]} */
    const names = [];
    for (const file of existsSync(registry) ? readdirSync(registry) : []) {
      const pid = Number(readFileSync(join(registry, file), "utf8"));
      try {
        process.kill(pid, 0);
        names.push(file.replace(/\.pid$/, ""));
      } catch {
        rmSync(join(registry, file), { force: true });
      }
    }
    return names;
  };
  const deadline = Date.now() + graceMs;
  let waiting = alive();
  if (waiting.length > 0) log(`waiting for ${waiting.join(", ")} to stop before stopping the stack`);
  while (waiting.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    waiting = alive();
  }
  if (waiting.length > 0)
    log(`still running after ${graceMs / 1000} s: ${waiting.join(", ")}; stopping the stack anyway`);
}

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof StackError) {
    console.error(`gametel-stack: ${err.message}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
