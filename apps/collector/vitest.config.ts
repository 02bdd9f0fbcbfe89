import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests start the collector and a processor as child processes against the shared local stack.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
