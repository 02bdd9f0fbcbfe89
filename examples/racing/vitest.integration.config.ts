import { defineConfig } from "vitest/config";

// Tests against the local broker and MongoDB server (`pnpm stack:up`): one file at a time, since the end-to-end
// scenarios start several processors each and the CI machine has 2 cores; generous timeouts for a loaded machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
