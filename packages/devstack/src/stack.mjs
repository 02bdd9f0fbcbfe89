// up / down / status for the whole stack. Each service is either external (KAFKA_BROKERS, MONGODB_URI:
// start nothing, only check that it answers) or local (a detached JVM with a pid file under the state dir).
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureArtifacts } from "./artifacts.mjs";
import { processMarker, servicePaths, SERVICES } from "./config.mjs";
import { StackError } from "./errors.mjs";
import { findJava, requireJdk } from "./java.mjs";
import { kafkaAnswers, startKafka } from "./kafka.mjs";
import { withLock } from "./lock.mjs";
import { mongoAnswers, startMongo } from "./mongo.mjs";
import { parseHostPort, portIsFree, tcpAnswers } from "./net.mjs";
import { isAlive, runningPid, stopProcess } from "./processes.mjs";
import { ensureCredentials, kafkaSecurity, securityPaths, writeClientEnv } from "./security.mjs";

/** @typedef {import("./config.mjs").StackConfig} StackConfig */
/** @typedef {import("./config.mjs").ServiceName} ServiceName */
/** @typedef {(line: string) => void} Log */

const TITLES = /** @type {const} */ ({ kafka: "Kafka", mongo: "MongoDB server" });
const START_TIMEOUT_MS = { kafka: 120_000, mongo: 60_000 };
const STOP_GRACE_MS = { kafka: 30_000, mongo: 15_000 };

/**
 * @param {StackConfig} config
 * @param {ServiceName} service
 */
export function localEndpoint(config, service) {
  return service === "kafka" ? `localhost:${config.kafkaPort}` : `mongodb://localhost:${config.mongoPort}`;
}

/**
 * @param {StackConfig} config
 * @param {ServiceName} service
 * @returns {string | undefined} the KAFKA_BROKERS / MONGODB_URI value when that service is external
 */
export function externalEndpoint(config, service) {
  return service === "kafka" ? config.kafkaBrokers : config.mongoUri;
}

/** @param {ServiceName} service */
function overrideName(service) {
  return service === "kafka" ? "KAFKA_BROKERS" : "MONGODB_URI";
}

/**
 * Connection strings may carry passwords; status lines show them without.
 * @param {string} endpoint
 */
export function redact(endpoint) {
  return endpoint.replace(/\/\/([^@/]*)@/, "//***@");
}

/**
 * Whether the service at this endpoint answers: Kafka a metadata request (local) or a TCP connection
 * to any bootstrap broker (external: it may need TLS and credentials we do not have); MongoDB a ping.
 * @param {StackConfig} config
 * @param {ServiceName} service
 * @param {number} timeoutMs
 * @returns {Promise<true | string>}
 */
async function answers(config, service, timeoutMs) {
  const external = externalEndpoint(config, service);
  if (service === "mongo") return mongoAnswers(external ?? localEndpoint(config, "mongo"), timeoutMs);
  if (external === undefined)
    return kafkaAnswers([localEndpoint(config, "kafka")], timeoutMs, securedProbe(config));
  const reasons = [];
  for (const broker of external.split(",")) {
    const address = parseHostPort(broker);
    if (!address) {
      reasons.push(`"${broker.trim()}" is not host:port`);
      continue;
    }
    const result = await tcpAnswers(address.host, address.port, timeoutMs);
    if (result === true) return true;
    reasons.push(`${broker.trim()}: ${result}`);
  }
  return reasons.join("; ");
}

/**
 * The secured local broker's CA and client user, for the readiness probe; undefined for the plaintext one.
 * @param {StackConfig} config
 */
function securedProbe(config) {
  if (kafkaSecurity(config) !== "sasl_ssl") return undefined;
  const { caPem } = securityPaths(config);
  if (!existsSync(caPem)) return undefined;
  const { username, password } = ensureCredentials(config);
  return { ca: readFileSync(caPem, "utf8"), username, password };
}

/**
 * The last line of a log that looks like an error, to put in a one-line failure.
 * @param {string} logFile
 */
function lastErrorLine(logFile) {
  if (!existsSync(logFile)) return undefined;
  const lines = readFileSync(logFile, "utf8").split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim() ?? "";
    // Stack frames and causes: the exception line above them says more.
    if (line.startsWith("at ") || line.startsWith("...") || line.startsWith("Caused by:")) continue;
    if (/\b(ERROR|FATAL)\b|Exception|Error:/.test(line))
      return line.length > 200 ? `${line.slice(0, 200)}…` : line;
  }
  return undefined;
}

/**
 * @param {StackConfig} config
 * @param {ServiceName} service
 */
function localPid(config, service) {
  return runningPid(servicePaths(config, service).pidFile, processMarker(config, service));
}

/**
 * Waits until a just-started (or starting) local service answers; fails at once when its process dies.
 * @param {StackConfig} config
 * @param {ServiceName} service
 * @param {number} pid
 */
async function waitUntilAnswering(config, service, pid) {
  const { logFile } = servicePaths(config, service);
  const deadline = Date.now() + START_TIMEOUT_MS[service];
  let last = "";
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      const error = lastErrorLine(logFile);
      throw new StackError(
        `${TITLES[service]} exited while starting; see ${logFile}${error ? ` (last error: ${error})` : ""}.`,
      );
    }
    const result = await answers(config, service, 2_000);
    if (result === true) return;
    last = result;
    await sleep(300);
  }
  await stopProcess(pid, STOP_GRACE_MS[service]);
  throw new StackError(
    `${TITLES[service]} did not answer on ${localEndpoint(config, service)} within ${START_TIMEOUT_MS[service] / 1000} s (${last}); it was stopped, see ${logFile}.`,
  );
}

/**
 * A port that a just-stopped process is still letting go of is free a moment later; a port held by
 * another program is not.
 * @param {number} port
 */
async function portFreeSoon(port) {
  for (let attempt = 0; attempt < 10; attempt++) {
    if (await portIsFree(port)) return true;
    await sleep(300);
  }
  return false;
}

/**
 * @param {StackConfig} config
 * @param {ServiceName} service
 * @returns {number[]}
 */
function portsOf(config, service) {
  return service === "kafka" ? [config.kafkaPort, config.kafkaControllerPort] : [config.mongoPort];
}

/** @param {ServiceName} service */
function portVariable(service) {
  return service === "kafka" ? "GAMETEL_KAFKA_PORT / GAMETEL_KAFKA_CONTROLLER_PORT" : "GAMETEL_MONGO_PORT";
}

/**
 * @typedef {object} UpResult
 * @property {ServiceName[]} started
 * @property {ServiceName[]} alreadyRunning
 * @property {ServiceName[]} external
 */

/**
 * Brings the services up (all by default) and returns once each answers.
 * @param {StackConfig} config
 * @param {{ fresh?: boolean, services?: readonly ServiceName[], log: Log }} options
 * @returns {Promise<UpResult>}
 */
export async function up(config, { fresh = false, services = SERVICES, log }) {
  /** @type {UpResult} */
  const result = { started: [], alreadyRunning: [], external: [] };
  const local = services.filter((service) => externalEndpoint(config, service) === undefined);

  for (const service of services) {
    const external = externalEndpoint(config, service);
    if (external === undefined) continue;
    const answer = await answers(config, service, 10_000);
    if (answer !== true) {
      throw new StackError(
        `${overrideName(service)}=${redact(external)} does not answer (${answer}); check the address, or unset ${overrideName(service)} to run the local ${TITLES[service]}.`,
      );
    }
    log(`${service}: external ${overrideName(service)}=${redact(external)} answers; nothing started`);
    result.external.push(service);
  }
  if (local.length === 0) return result;

  await withLock(join(config.stateDir, ".lock"), async () => {
    if (fresh) {
      for (const service of local) {
        const pid = localPid(config, service);
        if (pid !== undefined) {
          await stopProcess(pid, STOP_GRACE_MS[service]);
          rmSync(servicePaths(config, service).pidFile, { force: true });
        }
        rmSync(servicePaths(config, service).dataDir, { recursive: true, force: true });
        if (service === "kafka") {
          // New users and certificates with the new storage (GAMETEL_KAFKA_SASL_PASSWORD is read again).
          const secured = securityPaths(config);
          for (const path of [secured.credentials, secured.clientEnv, secured.tlsDir])
            rmSync(path, { recursive: true, force: true });
        }
        log(`${service}: data wiped (--fresh)`);
      }
    }

    /** @type {ServiceName[]} */
    const toStart = [];
    for (const service of local) {
      const pid = localPid(config, service);
      if (pid === undefined) {
        toStart.push(service);
        continue;
      }
      await waitUntilAnswering(config, service, pid);
      log(`${service}: already running (pid ${pid}) on ${localEndpoint(config, service)}`);
      result.alreadyRunning.push(service);
    }
    if (toStart.length === 0) return;

    const java = findJava(config.env);
    if (toStart.includes("mongo")) requireJdk(java, config.env);
    for (const service of toStart) {
      for (const port of portsOf(config, service)) {
        if (!(await portFreeSoon(port))) {
          const external =
            service === "kafka"
              ? `KAFKA_BROKERS=localhost:${port}`
              : `MONGODB_URI=mongodb://localhost:${port}`;
          throw new StackError(
            `port ${port} (${TITLES[service]}) is taken by another process, not by this stack; stop that process, or use it with ${external}, or move the stack with ${portVariable(service)}.`,
          );
        }
      }
    }
    /** @type {Record<ServiceName, string>} */
    const libs = { kafka: "", mongo: "" };
    await withLock(join(config.artifactsDir, ".lock"), async () => {
      for (const service of toStart)
        libs[service] = ensureArtifacts(config.artifactsDir, service, config.env, log);
    });

    const since = Date.now();
    const children = toStart.map((service) => {
      const child =
        service === "kafka" ? startKafka(config, java, libs.kafka) : startMongo(config, java, libs.mongo);
      return { service, pid: /** @type {number} */ (child.pid) };
    });
    const outcomes = await Promise.allSettled(
      children.map(async ({ service, pid }) => {
        await waitUntilAnswering(config, service, pid);
        const p = servicePaths(config, service);
        log(
          `${service}: started (pid ${pid}) on ${localEndpoint(config, service)} in ${((Date.now() - since) / 1000).toFixed(1)} s; data ${p.dataDir}; log ${p.logFile}`,
        );
        result.started.push(service);
      }),
    );
    const failure = outcomes.find((outcome) => outcome.status === "rejected");
    if (failure) throw /** @type {PromiseRejectedResult} */ (failure).reason;
  });
  if (local.includes("kafka") && kafkaSecurity(config) === "sasl_ssl") {
    for (const line of writeClientEnv(config, ensureCredentials(config))) log(line);
  }
  return result;
}

/**
 * Stops the local services (all by default) that run from this state dir. Harmless when none runs.
 * @param {StackConfig} config
 * @param {{ services?: readonly ServiceName[], log: Log }} options
 * @returns {Promise<ServiceName[]>} the services it stopped
 */
export async function down(config, { services = SERVICES, log }) {
  /** @type {ServiceName[]} */
  const stopped = [];
  await withLock(join(config.stateDir, ".lock"), async () => {
    for (const service of services) {
      const pid = localPid(config, service);
      if (pid === undefined) {
        log(`${service}: not running`);
        continue;
      }
      const how = await stopProcess(pid, STOP_GRACE_MS[service]);
      rmSync(servicePaths(config, service).pidFile, { force: true });
      log(
        how === "stopped"
          ? `${service}: stopped (pid ${pid})`
          : `${service}: killed (pid ${pid}) after ${STOP_GRACE_MS[service] / 1000} s without stopping; see ${servicePaths(config, service).logFile}`,
      );
      stopped.push(service);
    }
  });
  return stopped;
}

/**
 * @typedef {object} ServiceStatus
 * @property {ServiceName} service
 * @property {"external" | "running" | "stopped"} state
 * @property {string} endpoint
 * @property {boolean} answers
 * @property {string} [problem] why it does not answer
 * @property {number} [pid]
 * @property {string} [dataDir]
 * @property {string} [logFile]
 */

/**
 * What runs, where, with which pid, data dir and log file.
 * @param {StackConfig} config
 * @returns {Promise<ServiceStatus[]>}
 */
export async function status(config) {
  return Promise.all(
    SERVICES.map(async (service) => {
      const external = externalEndpoint(config, service);
      if (external !== undefined) {
        const answer = await answers(config, service, 5_000);
        return {
          service,
          state: /** @type {const} */ ("external"),
          endpoint: redact(external),
          answers: answer === true,
          ...(answer === true ? {} : { problem: answer }),
        };
      }
      const p = servicePaths(config, service);
      const pid = localPid(config, service);
      const answer = pid === undefined ? "not running" : await answers(config, service, 3_000);
      return {
        service,
        state: pid === undefined ? /** @type {const} */ ("stopped") : /** @type {const} */ ("running"),
        endpoint: localEndpoint(config, service),
        answers: answer === true,
        ...(answer === true || pid === undefined ? {} : { problem: answer }),
        ...(pid === undefined ? {} : { pid }),
        dataDir: p.dataDir,
        logFile: p.logFile,
      };
    }),
  );
}
