import { anyReference, at, block, isReference, isTrue, literalNumber } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";
import { DATABASE_RESOURCE_TYPES } from "../../facts/database-types";

/** Days of automated backups the recovered database keeps, matching Medplum's own CDK default. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

function retention(value: unknown, attribute: string, defaultDays: number): ReturnType<PolicyRule["check"]> {
  if (isReference(value)) return CANNOT_TELL;
  const days = value === undefined ? defaultDays : literalNumber(value);
  if (days !== undefined && days >= MIN_BACKUP_RETENTION_DAYS) return COMPLIANT;
  const shown = value === undefined ? `not set (defaults to ${defaultDays})` : String(value);
  return nonCompliant(
    `${attribute} is ${shown}; keep at least ${MIN_BACKUP_RETENTION_DAYS} days of automated backups so the recovered database can itself be restored to a point in time`,
  );
}

/** The recovered database keeps automated backups with point-in-time recovery from the moment it exists. */
export const DatabaseBackupsAndPitr: PolicyRule = {
  id: "DatabaseBackupsAndPitr",
  description: `Automated backups with point-in-time recovery are on, kept at least ${MIN_BACKUP_RETENTION_DAYS} days.`,
  severity: "error",
  appliesTo: DATABASE_RESOURCE_TYPES,
  check: ({ type, body }) => {
    switch (type) {
      case "aws_rds_cluster":
        return retention(body.backup_retention_period, "backup_retention_period", 1);
      case "aws_db_instance":
        return retention(body.backup_retention_period, "backup_retention_period", 0);
      case "google_sql_database_instance": {
        const backups = block(at(body, "settings", "backup_configuration"));
        const given = (flag: unknown) => isTrue(flag) || isReference(flag);
        if (!given(backups?.enabled)) return nonCompliant("settings.backup_configuration.enabled is not true; turn automated backups on");
        if (!given(backups?.point_in_time_recovery_enabled)) {
          return nonCompliant("settings.backup_configuration.point_in_time_recovery_enabled is not true; turn point-in-time recovery on");
        }
        return anyReference(backups?.enabled, backups?.point_in_time_recovery_enabled) ? CANNOT_TELL : COMPLIANT;
      }
      case "azurerm_postgresql_flexible_server":
        return retention(body.backup_retention_days, "backup_retention_days", 7);
      default:
        return NOT_APPLICABLE;
    }
  },
};
