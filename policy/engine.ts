/**
 * Evaluation and suppressions. A pure pass over one stack's synthesized Terraform JSON: every pack rule looks at every
 * subject it applies to; each non-compliance becomes a finding; a valid suppression marks a finding as accepted
 * (it stays in the report, with its reason, for the audit trail).
 */
import type { TerraformStack } from "cdktf";
import { TerraformOutput } from "cdktf";
import type { IConstruct } from "constructs";
import { createStackIndex, listSubjects } from "./json";
import { HIPAA_PACK } from "./pack";
import type { EvaluateOptions, PackEntry, PolicyFinding, PolicyReport, PolicySubject, PolicySuppression, RuleSet, TerraformJson } from "./types";

/** Reasons shorter than this do not explain anything ("ok", "n/a", "temporary"). */
export const MIN_REASON_LENGTH = 10;

const SUPPRESSION_METADATA = "medplum-dr:policy-suppression";

/**
 * Suppresses `ruleId` for `construct` and everything beneath it, in code, next to the resource it concerns.
 * Recorded as construct metadata, so it lives exactly as long as the construct tree, needs no global state, and is
 * found again deterministically by `codeSuppressions`. Throws at once for a reason that is too short; a suppression of an
 * unsuppressible or unknown rule is reported by the engine as an error naming the rule.
 */
export function suppressPolicy(construct: IConstruct, ruleId: string, reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `suppressPolicy(${construct.node.path}, ${ruleId}): the reason "${reason}" is too short; explain in at least ${MIN_REASON_LENGTH} characters why the finding is acceptable`,
    );
  }
  construct.node.addMetadata(SUPPRESSION_METADATA, { rule: ruleId, reason });
}

/** The suppressions recorded with `suppressPolicy` under `stack`, as config-style entries. */
export function codeSuppressions(stack: TerraformStack): PolicySuppression[] {
  const suppressions: PolicySuppression[] = [];
  for (const construct of stack.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== SUPPRESSION_METADATA) continue;
      const { rule, reason } = entry.data as { rule: string; reason: string };
      // Outputs carry no construct path in the JSON: match them by address instead.
      const resource = TerraformOutput.isTerraformOutput(construct) ? `output.${construct.friendlyUniqueId}` : construct.node.path;
      suppressions.push({ rule, resource, reason });
    }
  }
  return suppressions;
}

export function evaluateStackJson(json: TerraformJson, stackName: string, options: EvaluateOptions, pack: readonly PackEntry[] = HIPAA_PACK): PolicyReport {
  const { valid, errors } = validateSuppressions(options.suppressions, pack);
  const index = createStackIndex(json, stackName);
  const subjects = listSubjects(json);
  const findings: PolicyFinding[] = [];
  const matched = new Set<PolicySuppression>();
  for (const entry of pack) {
    const { rule } = entry;
    const applicable = rule.appliesTo === "*" ? subjects : subjects.filter((s) => s.kind === "resource" && rule.appliesTo.includes(s.type));
    for (const subject of applicable) {
      const result = rule.check(subject, index);
      if (result.status !== "non-compliant") continue;
      const suppression = valid.find((candidate) => candidate.rule === rule.id && matchesResource(candidate.resource, subject, stackName));
      if (suppression) matched.add(suppression);
      findings.push({
        ruleId: rule.id,
        severity: result.severity ?? rule.severity,
        description: rule.description,
        message: result.message,
        path: subject.path,
        address: subject.address,
        controls: entry.controls,
        equivalents: entry.equivalents,
        ...(rule.source !== undefined ? { source: rule.source } : {}),
        ...(suppression ? { suppressedBecause: suppression.reason } : {}),
      });
    }
  }
  const suppressionUse = valid.map((suppression) => ({ suppression, matched: matched.has(suppression) }));
  return { stackName, findings, suppressionErrors: errors, suppressionUse, ruleSets: countRuleSets(pack) };
}

function countRuleSets(pack: readonly PackEntry[]): { ruleSet: RuleSet; rules: number }[] {
  const counts: { ruleSet: RuleSet; rules: number }[] = [];
  for (const entry of pack) {
    const ruleSet = entry.ruleSet ?? "hipaa";
    const count = counts.find((candidate) => candidate.ruleSet === ruleSet);
    if (count) count.rules += 1;
    else counts.push({ ruleSet, rules: 1 });
  }
  return counts;
}

function validateSuppressions(suppressions: readonly PolicySuppression[], pack: readonly PackEntry[]): { valid: PolicySuppression[]; errors: string[] } {
  const valid: PolicySuppression[] = [];
  const errors = new Set<string>();
  for (const suppression of suppressions) {
    const entry = pack.find((candidate) => candidate.rule.id === suppression.rule);
    const where = `suppression of ${suppression.rule} for "${suppression.resource}"`;
    if (entry === undefined) {
      errors.add(`${where}: no rule has that id; the rule ids are listed in docs/policy.md`);
    } else if (entry.unsuppressible) {
      errors.add(`${where}: ${suppression.rule} protects PHI directly and cannot be suppressed; change the resource instead`);
    } else if (suppression.reason.trim().length < MIN_REASON_LENGTH) {
      errors.add(
        `${where}: the reason "${suppression.reason}" is too short; explain in at least ${MIN_REASON_LENGTH} characters why the finding is acceptable`,
      );
    } else {
      valid.push(suppression);
    }
  }
  return { valid, errors: [...errors] };
}

/**
 * A suppression's `resource` matches a subject's construct path (with or without the leading stack name) or its
 * Terraform address; `*` matches any run of characters, everything else literally. A construct path also covers every
 * construct beneath it (`database` covers `database/cluster`), as a suppression on a construct does in code.
 */
export function matchesResource(pattern: string, subject: Pick<PolicySubject, "path" | "address">, stackName: string): boolean {
  const expression = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}(/.*)?$`);
  const candidates = [subject.path, subject.address];
  if (subject.path.startsWith(`${stackName}/`)) candidates.push(subject.path.slice(stackName.length + 1));
  return candidates.some((candidate) => expression.test(candidate));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether any report holds an unsuppressed error or an invalid suppression: the synth must stop. */
export function hasBlockingFindings(reports: readonly PolicyReport[]): boolean {
  return reports.some(
    (report) =>
      report.suppressionErrors.length > 0 || report.findings.some((finding) => finding.severity === "error" && finding.suppressedBecause === undefined),
  );
}
