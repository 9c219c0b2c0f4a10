import { at, isReference, isSet, isTrue } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Pods get cloud credentials through workload identity, never from node credentials or long-lived keys. */
export const ClusterWorkloadIdentity: PolicyRule = {
  id: "ClusterWorkloadIdentity",
  description: "Managed clusters use workload identity for pod credentials.",
  severity: "error",
  appliesTo: ["google_container_cluster", "azurerm_kubernetes_cluster"],
  check: ({ type, body }) => {
    switch (type) {
      case "google_container_cluster":
        // Autopilot clusters always have Workload Identity.
        if (isTrue(body.enable_autopilot) || isSet(at(body, "workload_identity_config", "workload_pool"))) return COMPLIANT;
        return isReference(body.enable_autopilot)
          ? CANNOT_TELL
          : nonCompliant('workload_identity_config.workload_pool is not set; set it to "<project>.svc.id.goog" (or use Autopilot)');
      case "azurerm_kubernetes_cluster":
        if (isTrue(body.workload_identity_enabled) && isTrue(body.oidc_issuer_enabled)) return COMPLIANT;
        return [body.workload_identity_enabled, body.oidc_issuer_enabled].every((flag) => isTrue(flag) || isReference(flag))
          ? CANNOT_TELL
          : nonCompliant("workload_identity_enabled and oidc_issuer_enabled are not both true; set both");
      default:
        return NOT_APPLICABLE;
    }
  },
};
