import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/**
 * Test files that run Terraform, PostgreSQL or a child process of ours. `npm run test:unit` leaves them out (seconds,
 * no tools needed); `npm test`, CI and the README run everything.
 */
export const INTEGRATION_TESTS = [
  "test/aws/terraform.test.ts",
  "test/cli/**/*.test.ts",
  "test/facts/force-new-aws.test.ts",
  "test/kubernetes/restore-script.test.ts",
  "test/kubernetes/restore-script-lint.test.ts",
  "test/kubernetes/script-configmap.test.ts",
  "test/kubernetes/standby-round-trip.test.ts",
  "test/kubernetes/standby-script-configmap.test.ts",
  "test/kubernetes/standby-scripts-lint.test.ts",
  "test/operations/drill-cli.test.ts",
  "test/operations/terraform-events.test.ts",
  "test/operations/verify-cli.test.ts",
  "test/report/example-stacks.test.ts",
  "test/report/gate.test.ts",
  "test/report/terraform-plan.test.ts",
  "test/stacks/state-backend.test.ts",
  "test/standby/force-new.test.ts",
  "test/standby/terraform.test.ts",
  "test/workflow/render-mermaid.test.ts",
];

export default defineConfig({
  test: {
    globals: true,
    setupFiles: ["test/setup.ts"],
    // Synthesizing provider-heavy stacks and running Terraform are slow on a 2-core machine; these bounds catch hangs, not speed.
    testTimeout: 120_000,
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
