/**
 * The HIPAA-aligned policy pack: a pure pass over each recovery stack's synthesized Terraform JSON. See docs/policy.md.
 *
 * synth/synthesize.ts runs it over every `cdk.tf.json` the synth wrote, before the output is put in place
 * (RECOVERY_PACK: the HIPAA pack and the apply-time rules):
 *   const report = evaluateStackJson(json, stackName, { suppressions: [...config.policy.suppressions, ...codeSuppressions(stack)] }, RECOVERY_PACK);
 *   if (hasBlockingFindings(reports)) -> nothing is written
 */
export { codeSuppressions, evaluateStackJson, hasBlockingFindings, matchesResource, MIN_REASON_LENGTH, suppressPolicy } from "./engine";
export { HIPAA_PACK } from "./pack";
export { APPLY_TIME_PACK } from "./apply-time-pack";
export { RECOVERY_PACK } from "./recovery-pack";
export { formatPolicyReport, formatStackReport } from "./report";
export type {
  EvaluateOptions,
  HipaaControl,
  PackEntry,
  PolicyFinding,
  PolicyReport,
  PolicyRule,
  PolicySubject,
  PolicySuppression,
  RuleResult,
  RuleSet,
  Severity,
  TerraformJson,
} from "./types";
