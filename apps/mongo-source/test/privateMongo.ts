// A MongoDB stand-in of the test's own (own state dir and port, the shared jar cache), started, stopped and
// restarted with the devstack CLI as a user would: the shared stack other tests use is never restarted.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const stackCli = join(
  dirname(createRequire(import.meta.url).resolve("@gametel/devstack/package.json")),
  "bin",
  "gametel-stack.mjs",
);

/** Ports for private stacks: GAMETEL_TEST_PORTS ("from-to"), else 33100-33199. */
function portRange(): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(process.env.GAMETEL_TEST_PORTS ?? "");
  return match ? [Number(match[1]), Number(match[2])] : [33_100, 33_199];
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function freePortInRange(): Promise<number> {
  const [from, to] = portRange();
  const start = from + Math.floor(Math.random() * (to - from + 1));
  for (let i = 0; i <= to - from; i++) {
    const port = from + ((start - from + i) % (to - from + 1));
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port in ${from}-${to} for a private MongoDB (set GAMETEL_TEST_PORTS=from-to)`);
}

export interface PrivateMongo {
  readonly uri: string;
  /**
   * SIGTERM at once (the stand-in flushes its data to disk; no CLI start-up delay before the stop), wait for the
   * process to end, then start it again with the CLI on the same port and data.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its state dir. */
  close(): Promise<void>;
}

export async function startPrivateMongo(): Promise<PrivateMongo> {
  const stateDir = mkdtempSync(join(tmpdir(), "gametel-source-faults-"));
  const port = await freePortInRange();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if ((name.startsWith("GAMETEL_") && name !== "GAMETEL_STACK_ARTIFACTS") || name === "KAFKA_BROKERS")
      delete env[name];
  }
  delete env.MONGODB_URI;
  Object.assign(env, { GAMETEL_STACK_DIR: stateDir, GAMETEL_MONGO_PORT: String(port) });

  const run = (command: "up" | "down") =>
    new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [stackCli, command, "mongo"],
        { env, timeout: 180_000 },
        (error, stdout, stderr) => {
          if (error)
            reject(new Error(`gametel-stack ${command} mongo failed: ${stderr || stdout || error.message}`));
          else resolve();
        },
      );
    });
  const mongo: PrivateMongo = {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    start: () => run("up"),
    stop: () => run("down"),
    async restart() {
      const pid = Number(readFileSync(join(stateDir, "mongo", "mongo.pid"), "utf8").trim());
      process.kill(pid, "SIGTERM");
      const deadline = Date.now() + 60_000;
      while (isAlive(pid)) {
        if (Date.now() > deadline)
          throw new Error(`the private MongoDB (pid ${pid}) did not stop within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await run("up");
    },
    async close() {
      await run("down").catch(() => undefined);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  await mongo.start();
  return mongo;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
