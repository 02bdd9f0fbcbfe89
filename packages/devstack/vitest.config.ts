import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Broker and server round trips, JVM starts in the restart test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
