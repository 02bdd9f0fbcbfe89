#!/usr/bin/env node
// Makes sure Debian's headless Chromium is at /usr/bin/chromium for the browser tests (idempotent).
// Installs it with apt-get when it is missing and we are root; otherwise says what to do. Never downloads a
// browser build of its own (no `playwright install`): playwright-core drives the system Chromium.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const CHROMIUM = process.env.GAMETEL_CHROMIUM_PATH ?? "/usr/bin/chromium";

if (existsSync(CHROMIUM)) {
  console.log(`ensure-chromium: ${CHROMIUM} present`);
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  console.error(
    `ensure-chromium: ${CHROMIUM} is missing and this is not root; install it with ` +
      "`sudo apt-get update && sudo apt-get install -y chromium` (or set GAMETEL_CHROMIUM_PATH)",
  );
  process.exit(1);
}
const apt = (args) => {
  console.log(`ensure-chromium: apt-get ${args.join(" ")}`);
  // Wait for a dpkg lock held by another install instead of failing at once.
  const result = spawnSync("apt-get", ["-o", "DPkg::Lock::Timeout=600", ...args], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    console.error(`ensure-chromium: apt-get ${args[0]} failed (exit ${result.status})`);
    process.exit(1);
  }
};
apt(["update"]);
apt(["install", "-y", "--no-install-recommends", "chromium", "fonts-dejavu-core"]);
if (!existsSync(CHROMIUM)) {
  console.error(`ensure-chromium: installed, but ${CHROMIUM} is still missing`);
  process.exit(1);
}
console.log(`ensure-chromium: installed ${CHROMIUM}`);
