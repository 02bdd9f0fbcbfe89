import { fileURLToPath } from "node:url";
import type { ProcessorLauncher } from "./launcher.js";

/**
 * A processor app's `main` run from its source (tsx, the workspace packages' `source` condition), as the apps'
 * tests start it: `sourceLauncher("kafkajs", new URL("..", import.meta.url))` from the app's test/ or src/.
 */
export function sourceLauncher(engine: string, appDir: URL): ProcessorLauncher {
  return {
    name: engine,
    command: process.execPath,
    args: ["--import", "tsx", "--conditions=source", "src/main.ts"],
    cwd: fileURLToPath(appDir),
  };
}

/** The installed command's name of a processor app: `gametel-processor-<engine>`. */
export const processorProgram = (launcher: ProcessorLauncher): string => `gametel-processor-${launcher.name}`;
