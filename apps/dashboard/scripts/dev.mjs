#!/usr/bin/env node
// `pnpm dev` (turbo) / `pnpm --filter @gametel/dashboard dev`: the API server in watch mode on
// GAMETEL_DASHBOARD_API_PORT (3001) and Vite's dev server on PORT (3000) with hot reload, proxying /api, /odata
// and /export to it. It waits for the local stack like the other apps' dev scripts.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(app, "..", "..");
const bin = (name) => join(app, "node_modules", ".bin", name);
const apiPort = process.env.GAMETEL_DASHBOARD_API_PORT ?? "3001";

const stack = join(root, "packages", "devstack", "bin", "gametel-stack.mjs");
const waited = spawnSync(process.execPath, [stack, "wait"], { stdio: "inherit" });
if (waited.status !== 0) process.exit(waited.status ?? 1);

const children = [
  spawn(bin("tsx"), ["watch", "--conditions=source", "src/server/main.ts"], {
    cwd: app,
    stdio: "inherit",
    env: { ...process.env, PORT: apiPort, HOST: "127.0.0.1", GAMETEL_DASHBOARD_STATIC: "" },
  }),
  spawn(bin("vite"), [], {
    cwd: app,
    stdio: "inherit",
    env: { ...process.env, GAMETEL_DASHBOARD_API_PORT: apiPort },
  }),
];
let exiting = false;
const stop = (signal) => {
  if (exiting) return;
  exiting = true;
  for (const child of children) child.kill(signal);
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
for (const child of children) child.on("exit", () => stop("SIGTERM"));
