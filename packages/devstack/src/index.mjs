// What other packages' integration tests and apps import: where Kafka and MongoDB are.
// Kept free of client libraries so that importing it costs nothing.
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @param {number} fallback
 */
function portFrom(env, name, fallback) {
  const value = Number(env[name]);
  return Number.isInteger(value) && value > 0 && value < 65536 ? value : fallback;
}

/** @param {NodeJS.ProcessEnv} [env] */
export function kafkaBrokers(env = process.env) {
  const override = env.KAFKA_BROKERS?.trim();
  if (override) {
    return override
      .split(",")
      .map((broker) => broker.trim())
      .filter((broker) => broker !== "");
  }
  return [`localhost:${portFrom(env, "GAMETEL_KAFKA_PORT", 9092)}`];
}

/** @param {NodeJS.ProcessEnv} [env] */
export function mongoUri(env = process.env) {
  const override = env.MONGODB_URI?.trim();
  if (override) return override;
  return `mongodb://localhost:${portFrom(env, "GAMETEL_MONGO_PORT", 27017)}`;
}

/** @param {string} prefix */
export function uniqueName(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** @returns {Promise<number>} a TCP port free on 127.0.0.1 now */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}
