import { at, block, isFalse, isTrue } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Access to the cluster API goes through RBAC tied to the cloud's identities, not legacy ABAC or shared certificates. */
export const ClusterRbac: PolicyRule = {
  id: "ClusterRbac",
  description: "Managed clusters authorise with RBAC tied to cloud identities.",
  severity: "error",
  appliesTo: ["google_container_cluster", "azurerm_kubernetes_cluster"],
  check: ({ type, body }) => {
    switch (type) {
      case "google_container_cluster":
        if (isTrue(body.enable_legacy_abac)) return nonCompliant("enable_legacy_abac is true; remove it so RBAC alone authorises");
        return isTrue(at(body, "master_auth", "client_certificate_config", "issue_client_certificate"))
          ? nonCompliant("master_auth.client_certificate_config.issue_client_certificate is true; remove it (client certificates bypass IAM)")
          : COMPLIANT;
      case "azurerm_kubernetes_cluster":
        if (isFalse(body.role_based_access_control_enabled)) return nonCompliant("role_based_access_control_enabled is false; remove it or set it to true");
        return block(body.azure_active_directory_role_based_access_control) !== undefined
          ? COMPLIANT
          : nonCompliant(
              "azure_active_directory_role_based_access_control is not configured; add it (azure_rbac_enabled = true) so access is tied to Entra ID identities",
            );
      default:
        return NOT_APPLICABLE;
    }
  },
};
