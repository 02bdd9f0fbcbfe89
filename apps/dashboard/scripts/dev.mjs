#!/usr/bin/env node
// `pnpm dev` (turbo) / `pnpm --filter @gametel/dashboard dev`: the API server in watch mode on
// GAMETEL_DASHBOARD_API_PORT (3001) and, once it answers, Vite's dev server on GAMETEL_DASHBOARD_PORT (3000) with
// hot reload, proxying /api, /odata and /export to it. MongoDB is the local stack's (GAMETEL_MONGO_PORT) unless
// MONGODB_URI names another; the pipeline page reads the processor's metrics on GAMETEL_METRICS_PORT (9464).
// It waits for the local stack like the other apps' dev scripts. One Ctrl-C stops both and exits 0.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(app, "..", "..");
const bin = (name) => join(app, "node_modules", ".bin", name);
const apiPort = process.env.GAMETEL_DASHBOARD_API_PORT || "3001";
const webPort = process.env.GAMETEL_DASHBOARD_PORT || "3000";
const API_WAIT_MS = 60_000;

const stack = join(root, "packages", "devstack", "bin", "gametel-stack.mjs");
const waited = spawnSync(process.execPath, [stack, "wait"], { stdio: "inherit" });
if (waited.status !== 0) process.exit(waited.status ?? 1);

// Own process groups: a Ctrl-C reaches this script and its children at once, and tsx watch takes a second
// signal (ours) as "force kill"; here each child sees exactly one signal, from us.
const start = (command, args, env) =>
  spawn(command, args, { cwd: app, stdio: "inherit", detached: true, env: { ...process.env, ...env } });
const children = [
  start(bin("tsx"), ["watch", "--conditions=source", "src/server/main.ts"], {
    PORT: apiPort,
    HOST: "127.0.0.1",
    GAMETEL_DASHBOARD_STATIC: "",
  }),
];

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
process.on("exit", () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
children[0].on("exit", (code) => {
  if (stopping) return;
  console.error(`dev: dashboard API exited with ${code}; stopping`);
  stop("SIGTERM");
  process.exitCode = code || 1;
});

// Vite starts once the API answers, so its proxy never meets a refused connection.
const deadline = Date.now() + API_WAIT_MS;
while (!stopping) {
  const up = await fetch(`http://127.0.0.1:${apiPort}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  if (Date.now() > deadline) {
    console.error(
      `dev: the dashboard API did not answer on 127.0.0.1:${apiPort} within ${API_WAIT_MS / 1000} s`,
    );
    stop("SIGTERM");
    process.exitCode = 1;
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
if (!stopping) {
  console.log(`dev: dashboard on http://localhost:${webPort} (API 127.0.0.1:${apiPort})`);
  children.push(
    start(bin("vite"), ["--port", webPort, "--strictPort"], { GAMETEL_DASHBOARD_API_PORT: apiPort }),
  );
}
