// Small TCP checks: is a local port free to bind, does a host:port accept connections.
import { createConnection, createServer } from "node:net";

/**
 * Whether this machine can bind the port on the loopback address (as Kafka and the MongoDB launcher will).
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * Whether host:port accepts a TCP connection within the time.
 * @param {string} host
 * @param {number} port
 * @param {number} timeoutMs
 * @returns {Promise<true | string>} true, or why not
 */
export function tcpAnswers(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (/** @type {true | string} */ result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once("connect", () => done(true));
    socket.once("error", (err) => done(err.message));
  });
}

/**
 * Splits "host:port" (IPv6 as "[::1]:9092").
 * @param {string} address
 * @returns {{ host: string, port: number } | undefined}
 */
export function parseHostPort(address) {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return { host: match[1], port: Number(match[2]) };
}
