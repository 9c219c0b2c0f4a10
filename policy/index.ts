/**
 * The HIPAA-aligned policy pack: a pure pass over each recovery stack's synthesized Terraform JSON. See docs/policy.md.
 *
 * main.ts calls, for every stack, before anything is written:
 *   const reports = stacks.map((stack) => evaluateStack(stack, { suppressions: config.policy.suppressions }));
 *   console.error(formatPolicyReport(reports));
 *   if (hasBlockingFindings(reports)) return 1;
 */
export { evaluateStack, evaluateStackJson, hasBlockingFindings, matchesResource, MIN_REASON_LENGTH, suppressPolicy } from "./engine";
export { HIPAA_PACK } from "./pack";
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
  Severity,
  TerraformJson,
} from "./types";
