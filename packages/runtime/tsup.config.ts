import { defineConfig } from "tsup";

export default defineConfig({
  // `conformance` is the engine conformance suite (imports vitest); kept out of the main entry.
  entry: { index: "src/index.ts", conformance: "src/engine/conformance.ts", testing: "src/testing/index.ts" },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  external: ["vitest"],
});
