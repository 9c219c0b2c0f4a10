/**
 * The HIPAA-aligned policy pack: a pure pass over each recovery stack's synthesized Terraform JSON. See docs/policy.md.
 *
 * main.ts calls, for every stack, before anything is written (RECOVERY_PACK: the HIPAA pack and the apply-time rules):
 *   const reports = stacks.map((stack) => evaluateStack(stack, { suppressions: config.policy.suppressions }, RECOVERY_PACK));
 *   console.error(formatPolicyReport(reports));
 *   if (hasBlockingFindings(reports)) return 1;
 */
export { evaluateStack, evaluateStackJson, hasBlockingFindings, matchesResource, MIN_REASON_LENGTH, suppressPolicy } from "./engine";
export { HIPAA_PACK } from "./pack";
export { APPLY_TIME_PACK } from "./apply-time-pack";
export { RECOVERY_PACK } from "./recovery-pack";
export { formatPolicyReport, formatStackReport } from "./report";
export { synthesizeStackJson } from "./synthesize";
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
