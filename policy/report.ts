/**
 * The human-readable report printed by the synth. One block per stack; errors first, then warnings, then accepted
 * (suppressed) findings in one line each so the audit trail stays visible without drowning the real problems.
 *
 *   policy recovery-aws: 1 error, 1 warning, 1 suppressed
 *     ERROR DatabaseNotPublic at recovery-aws/database/restore/aurora/writer (aws_rds_cluster_instance.database_restore_aurora_writer_36B562F4)
 *       publicly_accessible is true; set it to false ...
 *       HIPAA 164.312(a)(1), 164.312(e)(1); compare CKV_AWS_17, HIPAA.Security-RDSInstancePublicAccess
 */
import type { PolicyFinding, PolicyReport, PolicySuppression, RuleSet } from "./types";

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function location(finding: PolicyFinding): string {
  return finding.path === finding.address ? finding.address : `${finding.path} (${finding.address})`;
}

function formatFinding(finding: PolicyFinding): string[] {
  const label = finding.severity === "error" ? "ERROR" : "WARN ";
  const references =
    finding.controls.length > 0
      ? `HIPAA ${finding.controls.join(", ")}${finding.equivalents.length > 0 ? `; compare ${finding.equivalents.join(", ")}` : ""}`
      : `apply-time rule; source: ${finding.source ?? "-"}`;
  return [`  ${label} ${finding.ruleId} at ${location(finding)}`, `    ${finding.message}`, `    ${references}`];
}

const RULE_SET_NAMES: Readonly<Record<RuleSet, string>> = { hipaa: "HIPAA-aligned", "apply-time": "apply-time" };

/** `(38 HIPAA-aligned rules, 14 apply-time rules)` when more than one rule set ran; nothing for one set. */
function ruleSetSummary(report: PolicyReport): string {
  const sets = report.ruleSets ?? [];
  return sets.length > 1 ? ` (${sets.map(({ ruleSet, rules }) => `${plural(rules, `${RULE_SET_NAMES[ruleSet]} rule`)}`).join(", ")})` : "";
}

export function formatStackReport(report: PolicyReport): string {
  const open = report.findings.filter((finding) => finding.suppressedBecause === undefined);
  const errors = open.filter((finding) => finding.severity === "error");
  const warnings = open.filter((finding) => finding.severity === "warning");
  const suppressed = report.findings.filter((finding) => finding.suppressedBecause !== undefined);
  const counts = [plural(errors.length + report.suppressionErrors.length, "error"), plural(warnings.length, "warning"), `${suppressed.length} suppressed`];
  const lines = [`policy ${report.stackName}: ${counts.join(", ")}${ruleSetSummary(report)}`];
  for (const error of report.suppressionErrors) lines.push(`  ERROR invalid ${error}`);
  for (const finding of [...errors, ...warnings]) lines.push(...formatFinding(finding));
  for (const finding of suppressed) lines.push(`  suppressed ${finding.ruleId} at ${location(finding)}: ${finding.suppressedBecause}`);
  return lines.join("\n");
}

/**
 * All stacks' reports, in the order given, then a note for each suppression that matched nothing in any stack (a typo
 * in its resource pattern, or a finding fixed since): not blocking, but worth removing so the record stays true.
 */
export function formatPolicyReport(reports: readonly PolicyReport[]): string {
  const blocks = reports.map(formatStackReport);
  const use = new Map<string, { suppression: PolicySuppression; matched: boolean }>();
  for (const { suppression, matched } of reports.flatMap((report) => report.suppressionUse)) {
    const key = JSON.stringify([suppression.rule, suppression.resource, suppression.reason]);
    use.set(key, { suppression, matched: matched || (use.get(key)?.matched ?? false) });
  }
  const stale = [...use.values()].filter((entry) => !entry.matched).map(({ suppression }) => suppression);
  if (stale.length > 0) {
    blocks.push(
      stale.map((s) => `note: suppression of ${s.rule} for "${s.resource}" matched no finding in any stack; remove it or correct its resource`).join("\n"),
    );
  }
  return blocks.join("\n\n");
}
