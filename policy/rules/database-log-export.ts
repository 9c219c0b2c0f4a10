import { anyReference, blocks, isReference, literalString, stringList } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";
import { DATABASE_RESOURCE_TYPES } from "../../facts/database-types";

const GCP_REQUIRED_FLAGS = ["log_connections", "log_disconnections"];

/** Database logs (connections, errors) leave the database for the cloud's log service, where they are kept and audited. */
export const DatabaseLogExport: PolicyRule = {
  id: "DatabaseLogExport",
  description: "Database logs are exported to the cloud's log service.",
  severity: "error",
  appliesTo: DATABASE_RESOURCE_TYPES,
  check: (subject, stack) => {
    const { type, body } = subject;
    switch (type) {
      case "aws_rds_cluster":
      case "aws_db_instance":
        if (stringList(body.enabled_cloudwatch_logs_exports).includes("postgresql")) return COMPLIANT;
        return anyReference(body.enabled_cloudwatch_logs_exports)
          ? CANNOT_TELL
          : nonCompliant('enabled_cloudwatch_logs_exports does not include "postgresql"; export the PostgreSQL log to CloudWatch Logs');
      case "google_sql_database_instance": {
        const given = blocks(body.settings)[0]?.database_flags;
        if (isReference(given)) return CANNOT_TELL;
        const flags = blocks(given);
        const on = (flag: string) => flags.some((f) => literalString(f.name) === flag && String(f.value).toLowerCase() === "on");
        // A flag named by reference, or the asked-for flag with a value by reference, may well be on: it cannot tell.
        const unknown = (flag: string) => flags.some((f) => isReference(f.name) || (literalString(f.name) === flag && isReference(f.value)));
        const missing = GCP_REQUIRED_FLAGS.filter((flag) => !on(flag));
        if (missing.length === 0) return COMPLIANT;
        const definitelyMissing = missing.filter((flag) => !unknown(flag));
        if (definitelyMissing.length === 0) return CANNOT_TELL;
        return nonCompliant(`settings.database_flags does not set ${definitelyMissing.map((flag) => `${flag} = on`).join(", ")}; add them so access is logged`);
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
