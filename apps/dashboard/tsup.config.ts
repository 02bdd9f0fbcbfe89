import { defineConfig } from "tsup";

// The server (the web UI is built by Vite into dist/web).
export default defineConfig({
  entry: { index: "src/server/index.ts", main: "src/server/main.ts" },
  outDir: "dist/server",
  format: ["esm"],
  dts: { entry: { index: "src/server/index.ts" } },
  sourcemap: true,
  clean: true,
  target: "es2022",
});
