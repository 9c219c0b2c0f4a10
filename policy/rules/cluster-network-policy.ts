import { anyReference, at, isSet, isTrue, literalString } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** The cluster enforces NetworkPolicy, so the database pods can be fenced off from everything but the server. */
export const ClusterNetworkPolicy: PolicyRule = {
  id: "ClusterNetworkPolicy",
  description: "Managed clusters enforce Kubernetes network policies.",
  severity: "error",
  appliesTo: ["google_container_cluster", "azurerm_kubernetes_cluster"],
  check: ({ type, body }) => {
    switch (type) {
      case "google_container_cluster":
        // Autopilot and Dataplane V2 (ADVANCED_DATAPATH) enforce network policy without the add-on.
        if (isTrue(body.enable_autopilot) || literalString(body.datapath_provider) === "ADVANCED_DATAPATH" || isTrue(at(body, "network_policy", "enabled")))
          return COMPLIANT;
        return anyReference(body.enable_autopilot, body.datapath_provider, at(body, "network_policy", "enabled"))
          ? CANNOT_TELL
          : nonCompliant('neither network_policy.enabled nor datapath_provider = "ADVANCED_DATAPATH" is set; enable one');
      case "azurerm_kubernetes_cluster":
        return isSet(at(body, "network_profile", "network_policy"))
          ? COMPLIANT
          : nonCompliant('network_profile.network_policy is not set; set it to "azure", "calico" or "cilium"');
      default:
        return NOT_APPLICABLE;
    }
  },
};
