import { block, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * A restore from a backup names where the backup is: without `instance_id` the API takes the backup to be the
 * restored instance's own, without `project` to be in the restored instance's project (gcloud sql backups restore:
 * "--backup-instance ... must be specified when the backup instance is different from the restore instance";
 * "--backup-project ... If it isn't specified, backup and restore instances are in the same project"). A recovery
 * restores another instance's backup, usually from the lost primary's project: both are named. Restoring across
 * projects is allowed (the caller needs cloudsql.backupRuns.get in the source project), so the projects may differ.
 */
export const CloudSqlBackupSourceNamed: PolicyRule = {
  id: "CloudSqlBackupSourceNamed",
  description: "A Cloud SQL restore_backup_context names the source instance and its project, and not the restored instance itself.",
  severity: "error",
  appliesTo: ["google_sql_database_instance"],
  source:
    "hashicorp/terraform-provider-google v6.50.0 google/services/sql/resource_sql_database_instance.go, expandRestoreBackupContext / sqlDatabaseInstanceRestoreFromBackup (Instances.RestoreBackup); https://cloud.google.com/sdk/gcloud/reference/sql/backups/restore; https://cloud.google.com/sql/docs/postgres/backup-recovery/restore",
  check: ({ body }) => {
    const context = block(body.restore_backup_context);
    if (context === undefined) return NOT_APPLICABLE;
    const problems: string[] = [];
    if (context.instance_id === undefined)
      problems.push("instance_id is not set, so the API looks for the backup among the new instance's own; set it to the source instance");
    if (context.project === undefined)
      problems.push("project is not set, so the API looks in the new instance's project; set it to the source instance's project");
    const sameInstance =
      literalString(context.instance_id) !== undefined &&
      context.instance_id === body.name &&
      (context.project === undefined || literalString(body.project) === undefined || context.project === body.project);
    if (sameInstance) problems.push(`instance_id names the restored instance ${String(body.name)} itself, which has no backups yet; name the source instance`);
    return problems.length === 0 ? COMPLIANT : nonCompliant(`restore_backup_context: ${problems.join("; ")}`);
  },
};
