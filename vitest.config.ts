import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globals: true,
    setupFiles: ["test/setup.ts"],
    include: ["test/**/*.test.ts"],
    // Synthesizing provider-heavy stacks and running Terraform are slow on a 2-core machine; these bounds catch hangs, not speed.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
