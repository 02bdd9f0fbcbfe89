import { defineConfig } from "tsup";

export default defineConfig({
  // `testing` holds the vitest suites (engine conformance, start failures) and verification; `engine` the adapters'
  // building blocks. Neither is in the main entry.
  entry: { index: "src/index.ts", engine: "src/engine/index.ts", testing: "src/testing/index.ts" },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  external: ["vitest"],
});
