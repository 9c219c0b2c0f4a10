/**
 * Validates and plans one synthesized stack (a folder holding `cdk.tf.json`) and returns what a reviewer needs:
 * validation diagnostics and the plan's add / change / destroy counts with every replacement named.
 *
 * The public entry of report/plan/, one concern per file:
 * - plan/types.ts: the options, the results, the mode (`PlanMode`: offline or online) and TerraformPlanError;
 * - plan/plan-stack.ts: planStack / planStackOffline / planStacksOffline, which run each mode;
 * - plan/run-terraform.ts: spawning Terraform (environment, timeout, version);
 * - plan/provider-mirror.ts: which documented place holds the provider mirror, and whether it serves a stack;
 * - plan/stack-folder.ts: reading a stack folder and copying it to a scratch folder;
 * - plan/offline-harness.ts: the override file and the `terraform test` file that plan without credentials;
 * - plan/hcl.ts: the HCL literals that test file holds;
 * - plan/parse-plan.ts: reading `terraform show -json`, `validate -json` and `test -json` output.
 */
export { hclValue } from "./plan/hcl";
export { OFFLINE_DATA_DEFAULTS, OFFLINE_LOCAL_DATA_SOURCES, OFFLINE_OVERRIDE_FILE, OFFLINE_TEST_FILE } from "./plan/offline-harness";
export { summarizePlan } from "./plan/parse-plan";
export { planModeOf, planStack, planStackOffline, planStacksOffline, type OfflineStack } from "./plan/plan-stack";
export { findPluginDir, findProviderMirror, mirrorCandidates, providersMissingFromMirror, type ProviderMirror } from "./plan/provider-mirror";
export { terraformVersion } from "./plan/run-terraform";
export {
  PLAN_MODES,
  TerraformPlanError,
  type PlanAction,
  type PlanMode,
  type PlannedChange,
  type PlanStackOptions,
  type PlanStackResult,
  type PlanSummary,
  type TerraformDiagnostic,
  type ValidateResult,
} from "./plan/types";
