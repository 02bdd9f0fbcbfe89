import { defineConfig } from "tsup";

// Plain ESM for Node 20+ and browsers: fetch, WebCrypto and CompressionStream only, no Node built-ins.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
});
