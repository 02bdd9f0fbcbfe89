import { defineConfig } from "vitest/config";

// Unit tests (no broker); the integration tests have their own config (vitest.integration.config.ts).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
