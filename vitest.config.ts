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
  "test/operations/terraform-events.test.ts",
  "test/operations/verify-cli.test.ts",
  "test/report/example-stacks.test.ts",
  "test/report/gate.test.ts",
  "test/report/terraform-plan.test.ts",
  "test/stacks/state-backend.test.ts",
];

export default defineConfig({
  test: {
    globals: true,
    setupFiles: ["test/setup.ts"],
    // Synthesizing provider-heavy stacks and running Terraform are slow on a 2-core machine; these bounds catch hangs, not speed.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: INTEGRATION_TESTS, poolOptions: { forks: { isolate: false } } } },
      { extends: true, test: { name: "integration", include: INTEGRATION_TESTS } },
    ],
  },
});
