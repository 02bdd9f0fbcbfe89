// Shared by the integration tests: run the CLI as a user would, and find free local ports.
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const cli = fileURLToPath(new URL("../bin/gametel-stack.mjs", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gametel-stack ...args` with exactly this environment. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment of this run without the variables that steer the stack. */
export function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("GAMETEL_") || name === "KAFKA_BROKERS" || name === "MONGODB_URI") delete env[name];
  }
  return env;
}

const handedOut = new Set<number>();

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A port nothing listens on right now, picked at random below Linux's ephemeral range (32768+),
 * so that no client connection of a parallel test can be using it when a service binds it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    if (await canBind(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** A private stack: its own state dir and ports, the shared jar cache. */
export async function privateStackEnv(stateDir: string): Promise<NodeJS.ProcessEnv> {
  return {
    ...baseEnv(),
    GAMETEL_STACK_DIR: stateDir,
    GAMETEL_KAFKA_PORT: String(await freePort()),
    GAMETEL_KAFKA_CONTROLLER_PORT: String(await freePort()),
    GAMETEL_MONGO_PORT: String(await freePort()),
  };
}
