// A private stack a test starts, and one service of it stopped, started, paused or resumed programmatically:
// what fault tests need (a broker restart, MongoDB unreachable) without touching the shared stack.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { processMarker, resolveConfig, servicePaths } from "./config.mjs";
import { StackError } from "./errors.mjs";
import { runningPid } from "./processes.mjs";
import { down, localEndpoint, up } from "./stack.mjs";

/** @typedef {import("./config.mjs").ServiceName} ServiceName */

/** @param {number} port */
function canBind(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * Three ports nothing listens on now, from `range` ("from-to", inclusive), in order from a random start.
 * @param {string} range
 * @returns {Promise<[number, number, number]>}
 */
async function freePorts(range) {
  const match = /^(\d+)-(\d+)$/.exec(range.trim());
  const from = Number(match?.[1]);
  const to = Number(match?.[2]);
  if (!match || from < 1 || to > 65535 || to - from < 2) {
    throw new StackError(`port range "${range}" is not from-to with at least three ports, e.g. 32100-32199.`);
  }
  const size = to - from + 1;
  const start = Math.floor(Math.random() * size);
  /** @type {number[]} */
  const found = [];
  for (let i = 0; i < size && found.length < 3; i++) {
    const port = from + ((start + i) % size);
    if (await canBind(port)) found.push(port);
  }
  if (found.length < 3) throw new StackError(`fewer than three free ports in ${range}.`);
  return /** @type {[number, number, number]} */ (found);
}

/**
 * @typedef {object} PrivateStackOptions
 * @property {string} [portRange] where to find its three ports ("from-to"); default
 *   `GAMETEL_PRIVATE_STACK_PORTS` or 20000-32000 (below Linux's ephemeral range)
 * @property {(line: string) => void} [log]
 */

/**
 * Starts a private stack (Kafka and MongoDB server) in a fresh temporary state dir on free ports. Its `close()`
 * stops both and removes the dir.
 * @param {PrivateStackOptions} [options]
 */
export async function startPrivateStack(options = {}) {
  const log = options.log ?? (() => undefined);
  const range = options.portRange ?? process.env.GAMETEL_PRIVATE_STACK_PORTS ?? "20000-32000";
  const [kafkaPort, controllerPort, mongoPort] = await freePorts(range);
  const stateDir = mkdtempSync(join(tmpdir(), "gametel-private-stack-"));
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env };
  for (const name of ["KAFKA_BROKERS", "MONGODB_URI"]) delete env[name];
  Object.assign(env, {
    GAMETEL_STACK_DIR: stateDir,
    GAMETEL_KAFKA_PORT: String(kafkaPort),
    GAMETEL_KAFKA_CONTROLLER_PORT: String(controllerPort),
    GAMETEL_MONGO_PORT: String(mongoPort),
  });
  const config = resolveConfig(env);
  try {
    await up(config, { log });
  } catch (error) {
    await down(config, { log }).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  return new PrivateStack(config, log);
}

/** A running private stack (see `startPrivateStack`). */
export class PrivateStack {
  /** @type {import("./config.mjs").StackConfig} */
  #config;
  /** @type {(line: string) => void} */
  #log;

  /**
   * @param {import("./config.mjs").StackConfig} config
   * @param {(line: string) => void} log
   */
  constructor(config, log) {
    this.#config = config;
    this.#log = log;
  }

  /** Its Kafka bootstrap brokers. */
  get brokers() {
    return [localEndpoint(this.#config, "kafka")];
  }

  /** Its MongoDB connection string. */
  get mongoUri() {
    return localEndpoint(this.#config, "mongo");
  }

  /** Its state dir (data, logs). */
  get stateDir() {
    return this.#config.stateDir;
  }

  /**
   * The pid of a service's JVM, or undefined when it is stopped.
   * @param {ServiceName} service
   */
  pid(service) {
    return runningPid(servicePaths(this.#config, service).pidFile, processMarker(this.#config, service));
  }

  /**
   * Stops one service (SIGTERM, then SIGKILL after its grace period); its data stays.
   * @param {ServiceName} service
   */
  async stop(service) {
    await down(this.#config, { services: [service], log: this.#log });
  }

  /**
   * Starts one service again and returns once it answers.
   * @param {ServiceName} service
   */
  async start(service) {
    await up(this.#config, { services: [service], log: this.#log });
  }

  /**
   * SIGSTOPs one service: its port stays open but nothing answers (a hung server).
   * @param {ServiceName} service
   */
  pause(service) {
    this.#signal(service, "SIGSTOP");
  }

  /**
   * SIGCONTs a paused service.
   * @param {ServiceName} service
   */
  resume(service) {
    this.#signal(service, "SIGCONT");
  }

  /**
   * @param {ServiceName} service
   * @param {NodeJS.Signals} signal
   */
  #signal(service, signal) {
    const pid = this.pid(service);
    if (pid === undefined) throw new StackError(`${service} of the private stack is not running.`);
    process.kill(pid, signal);
    this.#log(`${service}: ${signal} (pid ${pid})`);
  }

  /** Stops both services (resuming a paused one first) and removes the state dir. */
  async close() {
    for (const service of /** @type {const} */ (["kafka", "mongo"])) {
      const pid = this.pid(service);
      if (pid !== undefined) process.kill(pid, "SIGCONT");
    }
    try {
      await down(this.#config, { log: this.#log });
    } finally {
      rmSync(this.#config.stateDir, { recursive: true, force: true });
    }
  }
}
