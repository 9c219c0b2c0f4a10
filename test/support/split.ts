/** Which test files `npm run test:unit` leaves out, and which start first; vitest.config.ts reads both. */

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

/**
 * The integration files that hold a worker longest (seconds each, run alone on an idle 2-core machine: round trip
 * 110, aws plans 85, standby plans 36, report plans 33), longest first. A fresh clone (CI) has no record of
 * earlier durations, so vitest would order by file size and start the standby plans late, leaving one core idle at
 * the end; with a record, vitest's own longest-first order puts them first anyway.
 */
export const LONGEST_TESTS = [
  "test/kubernetes/standby-round-trip.test.ts",
  "test/aws/terraform.test.ts",
  "test/standby/terraform.test.ts",
  "test/report/terraform-plan.test.ts",
];
