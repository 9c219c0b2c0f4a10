import { literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * `replication_role` can only be changed on a server that exists: resourcePostgresqlFlexibleServerCreate refuses it
 * ("`replication_role` cannot be set while creating"). A server that sets it must be an existing replica adopted into
 * state, which the stack does with an `import` block (cdktf `importFrom`).
 */
export const FlexibleServerPromotionImported: PolicyRule = {
  id: "FlexibleServerPromotionImported",
  description: "A Flexible Server that sets replication_role is adopted by an import block, never created.",
  severity: "error",
  appliesTo: ["azurerm_postgresql_flexible_server"],
  source:
    "hashicorp/terraform-provider-azurerm v4.55.0 internal/services/postgres/postgresql_flexible_server_resource.go, resourcePostgresqlFlexibleServerCreate",
  check: ({ address, body }, stack) => {
    if (literalString(body.replication_role) === undefined) return NOT_APPLICABLE;
    return stack.importIds(address).length > 0
      ? COMPLIANT
      : nonCompliant(
          "replication_role is set but no import block adopts the server, so Terraform would create it and azurerm refuses replication_role at creation; import the existing replica (importFrom its resource id)",
        );
  },
};
