import { ignoresPath, isSet, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * Promoting a Flexible Server read replica: azurerm updates `replication_role` to "None" only when `create_mode` is
 * "Replica" (resourcePostgresqlFlexibleServerUpdate returns "`replication_role` only can be updated to `None` for
 * replica server" otherwise). An adopted replica's state has no create_mode (the read never sets it), so the
 * configuration must say "Replica", name the replica's `source_server_id`, and keep create_mode out of
 * `ignore_changes`: Terraform hands the provider the state's value for an ignored attribute, here an empty one.
 */
export const FlexibleServerPromotionPairing: PolicyRule = {
  id: "FlexibleServerPromotionPairing",
  description: 'A Flexible Server promoted with replication_role "None" carries create_mode "Replica" and source_server_id, and does not ignore create_mode.',
  severity: "error",
  appliesTo: ["azurerm_postgresql_flexible_server"],
  source:
    "hashicorp/terraform-provider-azurerm v4.55.0 internal/services/postgres/postgresql_flexible_server_resource.go, resourcePostgresqlFlexibleServerUpdate (replication_role only with create_mode Replica); Terraform applies ignore_changes to the configuration before planning",
  check: ({ body }) => {
    if (literalString(body.replication_role) !== "None") return NOT_APPLICABLE;
    const problems: string[] = [];
    if (literalString(body.create_mode) !== "Replica") problems.push(`create_mode is ${JSON.stringify(body.create_mode ?? null)}; set it to "Replica"`);
    if (!isSet(body.source_server_id)) problems.push("source_server_id is not set; set it to the primary server's id the replica follows");
    if (ignoresPath(body, "create_mode"))
      problems.push(
        "create_mode is in lifecycle.ignore_changes; remove it, or the provider sees the imported state's empty create_mode and refuses the promotion",
      );
    return problems.length === 0
      ? COMPLIANT
      : nonCompliant(`replication_role "None" promotes a replica only with create_mode "Replica": ${problems.join("; ")}`);
  },
};
