#!/usr/bin/env node
// One-step install for a fresh machine: Node 20+, npm, nothing else required.
// 1. installs the pinned pnpm through npm when it is missing (corepack is not relied on);
// 2. runs `pnpm install` with node-gyp pointed at the running Node's own headers, so that
//    native addons (node-rdkafka builds librdkafka from source) never download headers.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fail = (message) => {
  console.error(`setup: ${message}`);
  process.exit(1);
};

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old; gametel needs Node >= 20.19.`);

const wanted = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split("@")[1];
const pnpmVersion = () => {
  const r = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
};
if (pnpmVersion() !== wanted) {
  console.log(`setup: installing pnpm ${wanted} with npm`);
  const r = spawnSync("npm", ["install", "--global", `pnpm@${wanted}`], { stdio: "inherit" });
  if (r.status !== 0) fail(`could not install pnpm ${wanted} with npm (exit ${r.status}); try: npm install -g pnpm@${wanted}`);
  if (pnpmVersion() !== wanted) fail(`pnpm ${wanted} was installed but is not first on PATH; add $(npm prefix -g)/bin to PATH.`);
}

// node-gyp: the headers of the Node that runs this script (e.g. /usr for /usr/bin/node).
const nodedir = resolve(dirname(process.execPath), "..");
const env = { ...process.env };
if (existsSync(join(nodedir, "include", "node", "node_api.h"))) {
  env.npm_config_nodedir = nodedir;
} else {
  console.warn(`setup: no Node headers under ${nodedir}/include/node; node-gyp may try to download them.`);
}

const args = ["install"];
if (process.env.CI) args.push("--frozen-lockfile");
console.log(`setup: pnpm ${args.join(" ")} (node-gyp headers: ${env.npm_config_nodedir ?? "default"})`);
try {
  execFileSync("pnpm", args, { cwd: root, stdio: "inherit", env });
} catch (err) {
  fail(`pnpm install failed (exit ${err.status ?? "?"}); see the output above.`);
}
