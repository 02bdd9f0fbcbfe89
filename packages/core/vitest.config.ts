import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Property tests run thousands of cases; leave room for a busy CI machine.
    testTimeout: 60_000,
  },
});
