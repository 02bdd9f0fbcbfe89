#!/usr/bin/env node
// `pnpm --filter @gametel/dashboard start`: builds the web UI when it is missing, then runs the server from source
// (PORT, MONGODB_URI, GAMETEL_* as in the README). The built server is `node dist/server/main.js`.
import { spawnSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(app, "node_modules", ".bin", name);
if (!existsSync(join(app, "dist", "web", "index.html"))) {
  const built = spawnSync(bin("vite"), ["build", "--logLevel", "warn"], { cwd: app, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const child = spawn(bin("tsx"), ["--conditions=source", "src/server/main.ts", ...process.argv.slice(2)], {
  cwd: app,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
