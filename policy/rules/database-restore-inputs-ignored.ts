import { ignoresChanges, isSet, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Restore inputs per type: each one forces replacement, so a later apply with a newer value would destroy the recovered data. */
const RESTORE_INPUTS: Readonly<Record<string, readonly string[]>> = {
  aws_rds_cluster: ["snapshot_identifier", "restore_to_point_in_time", "s3_import"],
  aws_db_instance: ["snapshot_identifier", "restore_to_point_in_time", "s3_import"],
  google_sql_database_instance: ["restore_backup_context", "clone"],
  azurerm_postgresql_flexible_server: ["create_mode", "source_server_id", "point_in_time_restore_time_in_utc"],
};

/** A re-run never replaces a recovered database: every restore input it was created from is under ignore_changes. */
export const DatabaseRestoreInputsIgnored: PolicyRule = {
  id: "DatabaseRestoreInputsIgnored",
  description: "Restore inputs of a recovered database are listed in lifecycle.ignore_changes.",
  severity: "error",
  appliesTo: Object.keys(RESTORE_INPUTS),
  check: ({ type, body }) => {
    if (type === "azurerm_postgresql_flexible_server" && (literalString(body.create_mode) ?? "Default") === "Default" && !isSet(body.source_server_id)) {
      return NOT_APPLICABLE;
    }
    // A promoted replica keeps create_mode out of ignore_changes: azurerm promotes only when the planned create_mode is
    // "Replica" (resourcePostgresqlFlexibleServerUpdate), and create_mode does not force a new server.
    const promoted = type === "azurerm_postgresql_flexible_server" && literalString(body.replication_role) === "None";
    const present = (RESTORE_INPUTS[type] ?? []).filter((attribute) => isSet(body[attribute]) && !(promoted && attribute === "create_mode"));
    if (present.length === 0) return NOT_APPLICABLE;
    const exposed = present.filter((attribute) => !ignoresChanges(body, attribute));
    return exposed.length === 0
      ? COMPLIANT
      : nonCompliant(
          `${exposed.join(", ")} ${exposed.length === 1 ? "forces replacement but is" : "force replacement but are"} not in lifecycle.ignore_changes; add ${exposed.length === 1 ? "it" : "them"}, or a later apply with a newer value destroys the recovered database`,
        );
  },
};
