// Where the stack lives and which ports it uses. Everything can be moved through the environment,
// which is how the tests run a private stack next to the shared one.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { StackError } from "./errors.mjs";

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = resolve(packageDir, "..", "..");

/** @typedef {"kafka" | "mongo"} ServiceName */
/** @typedef {"plaintext" | "sasl_ssl"} KafkaSecurity */
/** @type {readonly KafkaSecurity[]} */
export const KAFKA_SECURITIES = ["plaintext", "sasl_ssl"];
export const DEFAULT_KAFKA_SASL_USERNAME = "gametel";
/** @type {readonly ServiceName[]} */
export const SERVICES = ["kafka", "mongo"];

export const DEFAULT_KAFKA_PORT = 9092;
export const DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
export const DEFAULT_MONGO_PORT = 27017;
export const DEFAULT_OPLOG_MINUTES = 10;

/**
 * @typedef {object} StackConfig
 * @property {string} stateDir data, logs, pid files and generated config
 * @property {string} artifactsDir jars downloaded from Maven Central (shared by every state dir)
 * @property {number} kafkaPort
 * @property {number} kafkaControllerPort
 * @property {number} mongoPort
 * @property {number} mongoOplogMinutes change-stream history kept by the local server (0: all)
 * @property {KafkaSecurity | undefined} kafkaSecurity GAMETEL_KAFKA_SECURITY (or `up --security`); undefined: what
 *   the local Kafka's storage was formatted for, else plaintext
 * @property {string} kafkaSaslUsername the SCRAM user made for clients (secured broker)
 * @property {string | undefined} kafkaBrokers KAFKA_BROKERS: use this cluster, start no Kafka
 * @property {string | undefined} mongoUri MONGODB_URI: use this deployment, start no MongoDB server
 * @property {NodeJS.ProcessEnv} env
 */

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @param {number} fallback
 */
function port(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new StackError(`${name}=${raw} is not a TCP port; set it to a number from 1 to 65535 or unset it.`);
  }
  return value;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @param {number} fallback
 */
function minutes(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new StackError(
      `${name}=${raw} is not a number of minutes; set a whole number (0 keeps everything) or unset it.`,
    );
  }
  return value;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
function nonEmpty(env, name) {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/**
 * @param {string | undefined} raw
 * @param {string} name where the value came from, for the message
 * @returns {KafkaSecurity | undefined}
 */
export function parseKafkaSecurity(raw, name) {
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = raw.trim().toLowerCase();
  const security = KAFKA_SECURITIES.find((s) => s === value);
  if (security === undefined) {
    throw new StackError(`${name}=${raw} is not a Kafka security; use ${KAFKA_SECURITIES.join(" or ")}.`);
  }
  return security;
}

/**
 * A SCRAM user name or password goes into `--add-scram 'SCRAM-SHA-512=[name=…,password=…]'` and a JAAS line:
 * no separators or quotes there.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
function scramValue(env, name) {
  const value = nonEmpty(env, name);
  if (value !== undefined && !/^[A-Za-z0-9._~+/=@-]+$/.test(value)) {
    throw new StackError(
      `${name} may hold only letters, digits and . _ ~ + / = @ - (it goes into Kafka's SCRAM and JAAS syntax).`,
    );
  }
  return value;
}

/**
 * Reads the stack's configuration from the environment.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {StackConfig}
 */
export function resolveConfig(env = process.env) {
  const cacheDir = join(repoRoot, ".cache", "devstack");
  const stateDir = resolve(nonEmpty(env, "GAMETEL_STACK_DIR") ?? cacheDir);
  const config = {
    stateDir,
    artifactsDir: resolve(nonEmpty(env, "GAMETEL_STACK_ARTIFACTS") ?? join(cacheDir, "artifacts")),
    kafkaPort: port(env, "GAMETEL_KAFKA_PORT", DEFAULT_KAFKA_PORT),
    kafkaControllerPort: port(env, "GAMETEL_KAFKA_CONTROLLER_PORT", DEFAULT_KAFKA_CONTROLLER_PORT),
    mongoPort: port(env, "GAMETEL_MONGO_PORT", DEFAULT_MONGO_PORT),
    mongoOplogMinutes: minutes(env, "GAMETEL_MONGO_OPLOG_MINUTES", DEFAULT_OPLOG_MINUTES),
    kafkaSecurity: parseKafkaSecurity(env.GAMETEL_KAFKA_SECURITY, "GAMETEL_KAFKA_SECURITY"),
    kafkaSaslUsername: scramValue(env, "GAMETEL_KAFKA_SASL_USERNAME") ?? DEFAULT_KAFKA_SASL_USERNAME,
    kafkaBrokers: nonEmpty(env, "KAFKA_BROKERS"),
    mongoUri: nonEmpty(env, "MONGODB_URI"),
    env,
  };
  scramValue(env, "GAMETEL_KAFKA_SASL_PASSWORD");
  if (config.kafkaPort === config.kafkaControllerPort) {
    throw new StackError(
      `GAMETEL_KAFKA_PORT and GAMETEL_KAFKA_CONTROLLER_PORT are both ${config.kafkaPort}; give them different ports.`,
    );
  }
  return config;
}

/**
 * Files of one service under the state dir.
 * @param {StackConfig} config
 * @param {ServiceName} service
 */
export function servicePaths(config, service) {
  const dir = join(config.stateDir, service);
  return {
    dir,
    dataDir: join(dir, "data"),
    dataFile: join(dir, "data", "gametel.mv"),
    logFile: join(dir, `${service}.log`),
    pidFile: join(dir, `${service}.pid`),
  };
}

/**
 * The marker on a service's java command line: it tells our processes from anyone else's,
 * and one state dir's from another's.
 * @param {StackConfig} config
 * @param {ServiceName} service
 */
export function processMarker(config, service) {
  return `-Dgametel.devstack=${service}@${config.stateDir}`;
}
