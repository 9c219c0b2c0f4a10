import { ignoresChanges, isSet, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Restore inputs per type: each one forces replacement, so a later apply with a newer value would destroy the recovered data. */
const RESTORE_INPUTS: Readonly<Record<string, readonly string[]>> = {
  aws_rds_cluster: ["snapshot_identifier", "restore_to_point_in_time", "s3_import"],
  aws_db_instance: ["snapshot_identifier", "restore_to_point_in_time", "s3_import"],
  google_sql_database_instance: ["restore_backup_context", "clone"],
  azurerm_postgresql_flexible_server: ["create_mode", "source_server_id", "point_in_time_restore_time_in_utc"],
};

/**
 * A replica being promoted must keep `create_mode = "Replica"` in its configuration: azurerm accepts
 * `replication_role = "None"` only then, and `create_mode` is not ForceNew, so it is no restore input to ignore there
 * (azurerm 4.55.0, internal/services/postgres/postgresql_flexible_server_resource.go: the create_mode schema and the
 * replication_role branch of the update). Its source_server_id still forces replacement and stays required.
 */
function promotesReplica(type: string, body: Record<string, unknown>): boolean {
  return type === "azurerm_postgresql_flexible_server" && literalString(body.create_mode) === "Replica" && literalString(body.replication_role) === "None";
}

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
    const present = (RESTORE_INPUTS[type] ?? []).filter((attribute) => isSet(body[attribute]) && !(attribute === "create_mode" && promotesReplica(type, body)));
    if (present.length === 0) return NOT_APPLICABLE;
    const exposed = present.filter((attribute) => !ignoresChanges(body, attribute));
    return exposed.length === 0
      ? COMPLIANT
      : nonCompliant(
          `${exposed.join(", ")} ${exposed.length === 1 ? "forces replacement but is" : "force replacement but are"} not in lifecycle.ignore_changes; add ${exposed.length === 1 ? "it" : "them"}, or a later apply with a newer value destroys the recovered database`,
        );
  },
};
