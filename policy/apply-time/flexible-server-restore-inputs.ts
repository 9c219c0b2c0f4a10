import { isSet, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * resourcePostgresqlFlexibleServerCreate refuses a restore without its inputs: PointInTimeRestore and GeoRestore need
 * both `source_server_id` and `point_in_time_restore_time_in_utc`, Replica needs `source_server_id`. (The time is an
 * explicit RFC 3339 one: validation.IsRFC3339Time; Azure accepts no "latest".)
 */
export const FlexibleServerRestoreInputs: PolicyRule = {
  id: "FlexibleServerRestoreInputs",
  description: "A Flexible Server create_mode of GeoRestore, PointInTimeRestore or Replica comes with the inputs azurerm requires.",
  severity: "error",
  appliesTo: ["azurerm_postgresql_flexible_server"],
  source:
    "hashicorp/terraform-provider-azurerm v4.55.0 internal/services/postgres/postgresql_flexible_server_resource.go, resourcePostgresqlFlexibleServerCreate",
  check: ({ body }) => {
    const mode = literalString(body.create_mode);
    const needed =
      mode === "GeoRestore" || mode === "PointInTimeRestore"
        ? ["source_server_id", "point_in_time_restore_time_in_utc"]
        : mode === "Replica"
          ? ["source_server_id"]
          : undefined;
    if (needed === undefined) return NOT_APPLICABLE;
    const missing = needed.filter((attribute) => !isSet(body[attribute]));
    return missing.length === 0 ? COMPLIANT : nonCompliant(`create_mode ${mode} needs ${missing.join(" and ")}; set ${missing.length === 1 ? "it" : "them"}`);
  },
};
