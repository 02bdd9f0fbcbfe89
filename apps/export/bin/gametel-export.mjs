#!/usr/bin/env node
// The installed command. A file that exists before the build, so that `pnpm install` can link it (a bin pointing
// into dist/ would warn on every fresh install); it runs the built app.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/main.js", import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write("gametel-export: not built yet; run `pnpm build` in the repository first\n");
  process.exit(2);
}
await import(main.href);
