import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests start child processes against the shared local stack.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // The broker tests start JVMs and child processes: one file at a time keeps the shared 2 cores usable.
    fileParallelism: false,
  },
});
