import { isReference, literalNumber } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule, type RuleResult } from "../types";

/**
 * Days logs stay searchable. HIPAA names no period for audit logs (the six years of 164.316(b)(2) are for policies and
 * documentation); one year online lets an investigation look back across a full audit cycle. Longer archives belong in
 * the organisation's central log store.
 */
export const MIN_LOG_RETENTION_DAYS = 365;

function atLeastFloor(value: unknown, attribute: string, defaultText: string): RuleResult {
  if (isReference(value)) return CANNOT_TELL;
  const days = literalNumber(value);
  if (days !== undefined && days >= MIN_LOG_RETENTION_DAYS) return COMPLIANT;
  return nonCompliant(`${attribute} is ${value === undefined ? defaultText : String(value)}; keep logs at least ${MIN_LOG_RETENTION_DAYS} days`);
}

/** Log groups and workspaces state a retention of at least a year (or, on CloudWatch, an explicit "never expire"). */
export const LogRetention: PolicyRule = {
  id: "LogRetention",
  description: `Logs are kept at least ${MIN_LOG_RETENTION_DAYS} days, with the retention stated explicitly.`,
  severity: "warning",
  appliesTo: ["aws_cloudwatch_log_group", "azurerm_log_analytics_workspace", "google_logging_project_bucket_config"],
  check: ({ type, body }) => {
    switch (type) {
      case "aws_cloudwatch_log_group":
        // 0 means "never expire": compliant, but only when written down; omitting it is an unmade decision.
        if (body.retention_in_days === undefined) {
          return nonCompliant(
            `retention_in_days is not set (logs never expire by accident); set it to ${MIN_LOG_RETENTION_DAYS} or more, or 0 to keep them deliberately`,
          );
        }
        return literalNumber(body.retention_in_days) === 0 ? COMPLIANT : atLeastFloor(body.retention_in_days, "retention_in_days", "");
      case "azurerm_log_analytics_workspace":
        return atLeastFloor(body.retention_in_days, "retention_in_days", "not set (defaults to 30)");
      case "google_logging_project_bucket_config":
        return atLeastFloor(body.retention_days, "retention_days", "not set (defaults to 30)");
      default:
        return NOT_APPLICABLE;
    }
  },
};
