import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { INTEGRATION_TESTS, LONGEST_TESTS } from "./test/support/split";

/** The files that hold a worker longest start first (test/support/split.ts says why), then vitest's own order. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_TESTS.indexOf(relative(file.project.config.root, file.moduleId).replaceAll("\\", "/"));
      return index === -1 ? LONGEST_TESTS.length : index;
    };
    // Array sort is stable: the rest keep vitest's order (failed first, then longest, then largest).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    globals: true,
    setupFiles: ["test/setup.ts"],
    // Synthesizing provider-heavy stacks and running Terraform are slow on a 2-core machine; these bounds catch hangs, not speed.
    testTimeout: 120_000,
    sequence: { sequencer: LongestFirst },
    hookTimeout: 300_000,
    pool: "forks",
    // One worker per core (vitest's default leaves one core idle: a single worker on a 2-core machine). Workers never
    // block their event loop on a child process, so a busy core slows the suite down but cannot break it.
    maxWorkers: availableParallelism(),
    minWorkers: 1,
    // Unit files share a worker's module cache (provider bindings load once per worker, not once per file: 135 s ->
    // 44 s for the unit project); they hold no process-wide state between files. Integration files keep their own.
    poolOptions: { forks: { isolate: false } },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: INTEGRATION_TESTS } },
      { extends: true, test: { name: "integration", include: INTEGRATION_TESTS, poolOptions: { forks: { isolate: true } } } },
    ],
  },
});
