import { blocks, literalString, stringList } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

const GCP_REQUIRED_FLAGS = ["log_connections", "log_disconnections"];

/** Database logs (connections, errors) leave the database for the cloud's log service, where they are kept and audited. */
export const DatabaseLogExport: PolicyRule = {
  id: "DatabaseLogExport",
  description: "Database logs are exported to the cloud's log service.",
  severity: "error",
  appliesTo: ["aws_rds_cluster", "aws_db_instance", "google_sql_database_instance", "azurerm_postgresql_flexible_server"],
  check: (subject, stack) => {
    const { type, body } = subject;
    switch (type) {
      case "aws_rds_cluster":
      case "aws_db_instance":
        return stringList(body.enabled_cloudwatch_logs_exports).includes("postgresql")
          ? COMPLIANT
          : nonCompliant('enabled_cloudwatch_logs_exports does not include "postgresql"; export the PostgreSQL log to CloudWatch Logs');
      case "google_sql_database_instance": {
        const flags = blocks(blocks(body.settings)[0]?.database_flags);
        const missing = GCP_REQUIRED_FLAGS.filter((flag) => !flags.some((f) => literalString(f.name) === flag && String(f.value).toLowerCase() === "on"));
        return missing.length === 0 ? COMPLIANT : nonCompliant(`settings.database_flags does not set ${missing.map((flag) => `${flag} = on`).join(", ")}; add them so access is logged`);
      }
      case "azurerm_postgresql_flexible_server":
        return stack.referencing("azurerm_monitor_diagnostic_setting", "target_resource_id", subject).length > 0
          ? COMPLIANT
          : nonCompliant("no azurerm_monitor_diagnostic_setting targets this server; add one sending PostgreSQLLogs to a Log Analytics workspace");
      default:
        return NOT_APPLICABLE;
    }
  },
};
